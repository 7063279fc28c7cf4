import { createRouter } from "../platform/router";
import * as token from "./token";

export const oauthRouter = createRouter().openapi(token.route, token.handler);
