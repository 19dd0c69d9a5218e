import { router } from "../init.ts";

export const unitsRouter = router({});
