import type { Metadata } from "next";
import { EmptySection } from "@/app/_components/page-header.tsx";

export const metadata: Metadata = { title: "API tokens" };

export default function Page() {
  return <EmptySection title="API tokens" description="Integration keys for partners and personal tokens, with their scopes." />;
}
