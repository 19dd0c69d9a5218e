import type { Metadata } from "next";
import { EmptySection } from "@/app/_components/page-header.tsx";

export const metadata: Metadata = { title: "Pending" };

export default function Page() {
  return <EmptySection title="Pending" description="Invitations waiting to be accepted and requests to join." />;
}
