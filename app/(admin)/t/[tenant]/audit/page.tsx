import type { Metadata } from "next";
import { EmptySection } from "@/app/_components/page-header.tsx";

export const metadata: Metadata = { title: "Audit log" };

export default function Page() {
  return <EmptySection title="Audit log" description="Every change, who made it and when." />;
}
