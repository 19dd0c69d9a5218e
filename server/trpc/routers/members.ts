import { router } from "../init.ts";

export const membersRouter = router({});
