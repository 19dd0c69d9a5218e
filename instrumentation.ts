/** Next.js calls register() once per server process before serving; Roster's boot work runs here (server/boot.ts). */
export async function register() {
  if (process.env.NEXT_RUNTIME === "nodejs" && process.env.NEXT_PHASE !== "phase-production-build") {
    const { boot } = await import("./server/boot.ts");
    await boot();
  }
}
