// What the IAM resources share beyond the kit: dates and policy documents as IAM returns them.

export const iso = (date: Date | undefined) => date?.toISOString();

/** IAM returns policy documents URL-encoded. */
export const policyDocument = (encoded: string | undefined) => (encoded === undefined ? undefined : decodeURIComponent(encoded));
