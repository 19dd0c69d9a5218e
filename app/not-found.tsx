import Link from "next/link";

export default function NotFound() {
  return (
    <main id="main" className="mx-auto max-w-lg px-4 py-16 text-center">
      <h1 className="text-xl font-semibold">Not found</h1>
      <p className="mt-2 text-slate-600" data-testid="not-found">This page does not exist, or you do not have access to it.</p>
      <Link href="/" className="mt-6 inline-block text-brand underline">Go home</Link>
    </main>
  );
}
