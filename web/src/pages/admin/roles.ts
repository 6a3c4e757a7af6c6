/** The person roles the API takes (POST /v1/users, /v1/api-keys: its `roles` description). */
export const PERSON_ROLES = ['administrator', 'operator', 'field_engineer', 'approver', 'auditor'] as const;
