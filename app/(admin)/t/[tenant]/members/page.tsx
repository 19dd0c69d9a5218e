import type { Metadata } from "next";
import { EmptySection } from "@/app/_components/page-header.tsx";

export const metadata: Metadata = { title: "Members" };

export default function Page() {
  return <EmptySection title="Members" description="Everyone in this tenant, their roles, units and permission values." />;
}
