export { avatarGET as GET } from "@/server/http/avatars.ts";

export const dynamic = "force-dynamic";
