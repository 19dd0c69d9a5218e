export { accountAvatarPOST as POST } from "@/server/http/avatars.ts";

export const dynamic = "force-dynamic";
