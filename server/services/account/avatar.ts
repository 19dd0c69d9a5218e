/**
 * Avatars: an uploaded image is decoded and re-encoded by sharp into two squares (256 px for profiles, 64 px for
 * lists), cover-cropped and turned upright by its EXIF orientation. Re-encoding drops every byte of the upload that
 * is not pixels (EXIF with GPS positions, ICC profiles, comments, appended payloads), and only raster formats are
 * read, so an SVG's scripts can never reach a page. The encodings are stored as content-addressed blobs
 * (ContentBlob, keyed by the SHA-256 of the encoded bytes) and the person's `User.avatar` names them in seed 003's
 * shape `{ blobId, thumbnailBlobId, width, height }`, which the REST member DTOs already render.
 */
import { createHash } from "node:crypto";
import sharp from "sharp";
import { recordAuditEvent } from "../../audit/record.ts";
import type { Db } from "../../db/client.ts";
import { Prisma } from "../../db/generated/client.ts";
import { AppError, AppErrorCode } from "../../errors.ts";
import { isBlobId, storedAvatarOf, type StoredAvatar } from "./avatar-ref.ts";
import { auditActorOf, type AccountSelf } from "./self.ts";

export const AVATAR_MAX_BYTES = 2 * 1024 * 1024;
export const AVATAR_SIZE = 256;
export const AVATAR_THUMBNAIL_SIZE = 64;
const CONTENT_TYPE = "image/webp";
// Raster formats only (no SVG: a vector image is a document). A 2 MB file can still claim a huge canvas (a
// decompression bomb); 40 megapixels is far beyond any photo a person picks as an avatar.
const READABLE = new Set(["jpeg", "png", "webp", "gif", "avif", "heif"]);
const MAX_INPUT_PIXELS = 40_000_000;

export { avatarPath, isBlobId, storedAvatarOf, type StoredAvatar } from "./avatar-ref.ts";

const notAnImage = () =>
  new AppError(AppErrorCode.UNPROCESSABLE, {
    userMessage: "That file is not an image we can read. Upload a JPEG, PNG, WebP, GIF or AVIF picture.",
    issues: [{ path: "avatar", message: "must be a JPEG, PNG, WebP, GIF or AVIF image" }],
    reason: "NOT_AN_IMAGE",
  });

export const avatarTooLarge = () =>
  new AppError(AppErrorCode.PAYLOAD_TOO_LARGE, {
    userMessage: "The picture is larger than 2 MB. Choose a smaller file.",
    issues: [{ path: "avatar", message: "must be at most 2 MB" }],
  });

async function encode(input: Uint8Array, size: number): Promise<{ id: string; bytes: Uint8Array<ArrayBuffer> }> {
  const out = await sharp(input, { limitInputPixels: MAX_INPUT_PIXELS, failOn: "error" })
    .rotate()
    .resize(size, size, { fit: "cover", position: "centre" })
    .webp({ quality: 82 })
    .toBuffer();
  return { id: createHash("sha256").update(out).digest("hex"), bytes: new Uint8Array(out) };
}

/** Replaces the signed-in person's avatar with the uploaded image. Audited as `user.avatar_changed`. */
export async function setOwnAvatar(db: Db, self: AccountSelf, upload: Uint8Array): Promise<StoredAvatar> {
  if (upload.byteLength > AVATAR_MAX_BYTES) throw avatarTooLarge();
  if (upload.byteLength === 0) throw notAnImage();
  let large, thumb;
  try {
    const meta = await sharp(upload, { limitInputPixels: MAX_INPUT_PIXELS }).metadata();
    if (!meta.format || !READABLE.has(meta.format)) throw notAnImage();
    // Encoded before the transaction: the CPU work never holds a row lock.
    [large, thumb] = await Promise.all([encode(upload, AVATAR_SIZE), encode(upload, AVATAR_THUMBNAIL_SIZE)]);
  } catch (e) {
    if (e instanceof AppError) throw e;
    throw notAnImage(); // sharp's own message for unreadable input ("unsupported image format", "bad seek"...)
  }
  const avatar: StoredAvatar = { blobId: large.id, thumbnailBlobId: thumb.id, width: AVATAR_SIZE, height: AVATAR_SIZE };
  await db.$transaction(async (tx) => {
    const user = await tx.user.findUnique({ where: { id: self.userId }, select: { avatar: true } });
    if (!user) throw new AppError(AppErrorCode.UNAUTHORIZED, { userMessage: "Sign in first." });
    // Same bytes, same id: a blob another upload already stored is kept as it is.
    await tx.contentBlob.createMany({
      data: [
        { id: large.id, contentType: CONTENT_TYPE, bytes: large.bytes, width: AVATAR_SIZE, height: AVATAR_SIZE },
        { id: thumb.id, contentType: CONTENT_TYPE, bytes: thumb.bytes, width: AVATAR_THUMBNAIL_SIZE, height: AVATAR_THUMBNAIL_SIZE },
      ],
      skipDuplicates: true,
    });
    await tx.user.update({ where: { id: self.userId }, data: { avatar } });
    await recordAuditEvent(tx, {
      actor: auditActorOf(self), tenantId: null, action: "user.avatar_changed", targetType: "user", targetId: self.userId,
      before: storedAvatarOf(user.avatar), after: avatar,
    });
  });
  return avatar;
}

/**
 * Removes the signed-in person's avatar; a no-op (and no event) when there is none. The blobs stay: another account
 * may use the same bytes, and a cached URL must not turn into a 404 under someone's feet.
 */
export async function removeOwnAvatar(db: Db, self: AccountSelf): Promise<{ removed: boolean }> {
  return db.$transaction(async (tx) => {
    const user = await tx.user.findUnique({ where: { id: self.userId }, select: { avatar: true } });
    if (!user) throw new AppError(AppErrorCode.UNAUTHORIZED, { userMessage: "Sign in first." });
    if (user.avatar === null) return { removed: false };
    await tx.user.update({ where: { id: self.userId }, data: { avatar: Prisma.DbNull } });
    await recordAuditEvent(tx, {
      actor: auditActorOf(self), tenantId: null, action: "user.avatar_removed", targetType: "user", targetId: self.userId,
      before: storedAvatarOf(user.avatar),
    });
    return { removed: true };
  });
}

/** A stored blob for /avatars/<id>, or null when the id is malformed or unknown. Public: ids are content hashes. */
export async function getAvatarBlob(db: Db, id: string): Promise<{ bytes: Uint8Array; contentType: string } | null> {
  if (!isBlobId(id)) return null;
  return db.contentBlob.findUnique({ where: { id }, select: { bytes: true, contentType: true } });
}
