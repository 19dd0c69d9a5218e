import type { Metadata } from "next";
import { EmptySection } from "@/app/_components/page-header.tsx";

export const metadata: Metadata = { title: "Units" };

export default function Page() {
  return <EmptySection title="Units" description="Locations, subsidiaries and projects, and who has access to each." />;
}
