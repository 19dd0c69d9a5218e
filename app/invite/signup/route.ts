import type { NextRequest } from "next/server";
import { signUpAndAccept } from "@/server/invite-landing/sign-up.ts";

/** Creates the invitee's account, signs them in and accepts the invitation (server/invite-landing/sign-up.ts). */
export function POST(req: NextRequest) {
  return signUpAndAccept(req);
}
