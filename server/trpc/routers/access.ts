import { router } from "../init.ts";

export const accessRouter = router({});
