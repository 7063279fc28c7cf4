export * from "./audit-events";
export * from "./memberships";
export * from "./organisations";
export * from "./roles";
export * from "./service-accounts";
export * from "./users";
