import { redirect } from "next/navigation";
import { auth } from "@/server/auth/index.ts";
import { api } from "@/app/_trpc/rsc.ts";

/** Sends people where they belong: the sign-in page, their first tenant, or their account when they have none. */
export default async function Home() {
  const session = await auth();
  if (!session) redirect("/signin");
  const tenants = await api.tenants.list();
  const first = tenants.find((t) => t.status === "ACTIVE");
  redirect(first ? `/t/${first.slug}` : "/account");
}
