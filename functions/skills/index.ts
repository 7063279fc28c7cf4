import { createRouter } from "../platform/router";
import * as create from "./create";
import * as remove from "./delete";
import * as get from "./get";
import * as list from "./list";
import * as practiceAreas from "./list-practice-areas";
import * as update from "./update";

/** The practice areas and the skill catalog: public reads, curated by platform administrators. */
export const skillsRouter = createRouter()
  .openapi(practiceAreas.route, practiceAreas.handler)
  .openapi(list.route, list.handler)
  .openapi(create.route, create.handler)
  .openapi(get.route, get.handler)
  .openapi(update.route, update.handler)
  .openapi(remove.route, remove.handler);
