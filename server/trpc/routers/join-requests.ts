import { router } from "../init.ts";

export const joinRequestsRouter = router({});
