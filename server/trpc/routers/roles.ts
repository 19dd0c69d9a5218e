import { router } from "../init.ts";

export const rolesRouter = router({});
