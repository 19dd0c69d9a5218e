import type { Metadata } from "next";
import { EmptySection } from "@/app/_components/page-header.tsx";

export const metadata: Metadata = { title: "Roles" };

export default function Page() {
  return <EmptySection title="Roles" description="Built-in and custom roles with their default permission values." />;
}
