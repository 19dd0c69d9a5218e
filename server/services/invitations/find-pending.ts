/** How an invitation reference (id, email or phone) is named in a refusal (not a use case itself). */
export type InvitationRefData = { id: number } | { email: string } | { phone: string };

export const describeRef = (ref: InvitationRefData) => ("id" in ref ? `invitation ${ref.id}` : "email" in ref ? ref.email : ref.phone);
