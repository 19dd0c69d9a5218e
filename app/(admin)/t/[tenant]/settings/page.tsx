import type { Metadata } from "next";
import { EmptySection } from "@/app/_components/page-header.tsx";

export const metadata: Metadata = { title: "Settings" };

export default function Page() {
  return <EmptySection title="Settings" description="Invitation lifetime, join policy and the origins allowed in invitation links." />;
}
