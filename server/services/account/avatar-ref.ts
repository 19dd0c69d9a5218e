/**
 * How a stored avatar is named and addressed, apart from avatar.ts so that readers (the members list) do not load
 * sharp, which only the upload needs.
 */
export type StoredAvatar = { blobId: string; thumbnailBlobId: string; width: number; height: number };

/** Where a blob is served (app/avatars/[blobId]/route.ts); relative, so it works behind any host name. */
export const avatarPath = (blobId: string) => `/avatars/${blobId}`;

/** A blob id is a lowercase SHA-256 in hex; anything else cannot name a blob. */
export const isBlobId = (id: string) => /^[0-9a-f]{64}$/.test(id);

/** `User.avatar` as stored by setOwnAvatar, or null for none (or a value of another shape). */
export function storedAvatarOf(value: unknown): StoredAvatar | null {
  if (!value || typeof value !== "object") return null;
  const v = value as Record<string, unknown>;
  if (typeof v.blobId !== "string" || typeof v.thumbnailBlobId !== "string" || typeof v.width !== "number" || typeof v.height !== "number") return null;
  return { blobId: v.blobId, thumbnailBlobId: v.thumbnailBlobId, width: v.width, height: v.height };
}
