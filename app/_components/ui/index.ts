/**
 * Accessible UI primitives, wrapped once here (Radix Dialog; the rest plain accessible HTML) and styled with Tailwind.
 * Import from "@/app/_components/ui/index.ts" in client components:
 *
 *   const schema = z.object({ email: z.email("Enter an email address.") });
 *   const form = useZodForm(schema, { email: "" });
 *   const save = trpc.x.y.useMutation({ onError: (e) => applyServerError(form, e) });
 *   <Form form={form} onSubmit={(v) => save.mutateAsync(v).catch(() => {})} errorTestId="x-error">
 *     <FormTextField form={form} name="email" label="Email" type="email" hint="We never share it." />
 *     <Button type="submit" pending={form.formState.isSubmitting}>Save</Button>
 *   </Form>
 *
 * - Button: variants primary / secondary / danger / danger-outline (opens a destructive confirm) / ghost, sizes
 *   sm / md, `pending` (disabled + aria-busy, optional `pendingLabel`). Defaults to type="button".
 * - TextField: label, input, hint and error wired with aria-invalid / aria-describedby; stable id, so focus stays.
 * - useZodForm(schema, defaults) → react-hook-form with zodResolver; <Form> shows the root error in role="alert";
 *   FormTextField / FormSelectField / FormTextAreaField register a field; applyServerError(form, trpcError) maps
 *   `data.issues` onto fields, else root. FormSuccess shows the result of a submit and takes focus.
 * - Dialog / DialogClose / ConfirmDialog (instead of window.confirm): title, description, focus trap, Escape and the
 *   close button close, focus returns to the `trigger`; ConfirmDialog names what happens and to whom.
 * - ScrollTable: the frame of a wide table; on phones it scrolls sideways in a focusable, named region with edge
 *   shadows and a "Scroll … for more columns" line, so no column is clipped and the page itself never scrolls sideways.
 * - Notice (role="status") and Alert (role="alert") with a tone: info / success / warning / danger.
 */
export { Button, buttonClasses, type ButtonProps, type ButtonVariant, type ButtonSize } from "./button.tsx";
export { TextField, SelectField, TextAreaField, inputClasses, type TextFieldProps, type SelectFieldProps, type TextAreaFieldProps } from "./field.tsx";
export { useZodForm, Form, FormTextField, FormSelectField, FormTextAreaField, FormSuccess, fieldMessage, applyServerError, type ZodForm } from "./form.tsx";
export { Dialog, DialogClose, ConfirmDialog, type DialogProps, type ConfirmDialogProps } from "./dialog.tsx";
export { Notice, Alert, type Tone } from "./alert.tsx";
export { ScrollTable } from "./scroll-table.tsx";
