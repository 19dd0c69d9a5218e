import { z } from "zod";

export const ZUnitKind = z.enum(["LOCATION", "SUBSIDIARY", "PROJECT"]);
export const ZCreateUnitInput = z.strictObject({
  name: z.string().trim().min(1, "is required").max(120),
  kind: ZUnitKind,
});
export type TCreateUnitInput = z.input<typeof ZCreateUnitInput>;
export const ZUnit = z.object({ id: z.number().int(), name: z.string(), kind: ZUnitKind });
export type TUnit = z.infer<typeof ZUnit>;
