// What RDS's instances and clusters share: the identifier's shape and the Describe calls' paging.
import { tokens } from "../../aws/list-operation.js";

/** An RDS identifier: a letter, then up to 62 letters, digits or hyphens (AWS stores them lower-case). */
export const RDS_IDENTIFIER = /^[a-zA-Z][a-zA-Z0-9-]{0,62}$/;

/** DescribeDBInstances and DescribeDBClusters: Marker both ways, MaxRecords 20..100 (AWS refuses anything else). */
export const RDS_PAGING = { tokens: tokens.field("Marker"), pageSize: { member: "MaxRecords", min: 20, max: 100 } };
