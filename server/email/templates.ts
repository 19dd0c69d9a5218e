// All templates are async (Promise<RenderedEmail>): the React Email components live in ./templates/; this file only re-exports them.
export * from "./templates/index.ts";
