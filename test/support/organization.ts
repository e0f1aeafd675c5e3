// Tests seed an organization in moto_server the way the demo does.
export { MANAGEMENT_ID, MEMBER_ROLE, memberRole, seedOrganization, type OrganizationSpec, type SeededOrganization } from "../../demo/organization.js";
