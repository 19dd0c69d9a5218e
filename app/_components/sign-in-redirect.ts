import "server-only";
import { headers } from "next/headers";
import { redirect } from "next/navigation";
import { REQUEST_PATH_HEADER, signInUrlFor } from "@/server/auth/return-path.ts";

/** Redirects to sign-in with a return to the page the browser asked for (path and query), else to `fallback`. */
export async function redirectToSignIn(fallback: string): Promise<never> {
  const asked = (await headers()).get(REQUEST_PATH_HEADER);
  redirect(signInUrlFor(asked ?? fallback));
}
