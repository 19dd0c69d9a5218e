import { router } from "../init.ts";

export const invitationsRouter = router({});
