import { router } from "../init.ts";

export const settingsRouter = router({});
