// The test harness: requests through the real app inside workerd, tokens minted like an identity provider
// would, tenants seeded with every built-in role and a service account, and a database handle for assertions.
// Split by subject; import it all from here ("./harness").

export * from "./call";
export * from "./db";
export * from "./env";
export * from "./mailbox";
export * from "./programs";
export * from "./races";
export * from "./skills";
export * from "./tenants";
export * from "./tokens";
