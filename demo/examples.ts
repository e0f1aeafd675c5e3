// The queries GraphiQL opens with in the demo: each named operation runs with the ▶ menu.
export const EXAMPLE_QUERIES = `# awsgql: AWS listings as Relay connections.
# Pick an operation with the run button. To go on, copy pageInfo.endCursor (or any
# edge's cursor) into "after". extensions.aws shows what each answer cost in AWS calls.

query Instances($after: String) {
  ec2Instances(region: "us-east-1", first: 25, after: $after, filter: { states: ["running"] }) {
    edges {
      cursor
      node {
        instanceId instanceType state launchTime tags { key value }
        vpc { vpcId cidrBlock } subnet { subnetId availabilityZone }
        securityGroups { groupId groupName } volumes { volumeId size }
      }
    }
    pageInfo { hasNextPage endCursor }
  }
}

query TeamInstances {
  ec2Instances(region: "eu-west-1", first: 10, filter: { tags: [{ key: "team", values: ["payments"] }] }) {
    edges { node { instanceId state tags { key value } } }
    pageInfo { hasNextPage endCursor }
  }
}

query FleetOverview {
  ec2Instances(accounts: ["*"], regions: ["*"], first: 0) {
    totalCount
    byRegion: countBy(field: REGION) { key count }
    byState: countBy(field: STATE) { key count }
    byTeam: countBy(field: TAG, tagKey: "team") { key count }
    byType: countBy(field: INSTANCE_TYPE) { key count }
  }
  payments: resources(tags: [{ key: "team", values: ["payments"] }], first: 10) {
    edges { node { arn resourceType node { __typename id } } }
  }
}

query FunctionsAndTheirNetwork {
  lambdaFunctions(region: "us-east-1", first: 10) {
    edges {
      node {
        functionName runtime memorySize environmentVariableNames role { roleName }
        vpc { vpcId cidrBlock instances(first: 5) { edges { node { instanceId state } } } }
        securityGroups { groupId groupName }
      }
    }
    pageInfo { hasNextPage endCursor }
  }
}

query Network {
  ec2Vpcs(first: 10) {
    edges { node { vpcId cidrBlock tags { key value } subnets(first: 10) { edges { node { subnetId availabilityZone } } } } }
  }
}

query Buckets {
  s3Buckets(first: 20) { edges { node { name region creationDate } } pageInfo { hasNextPage endCursor } }
}

query BrowseFolder($after: String) {
  s3Bucket(name: "demo-data-lake") {
    folder(prefix: "logs/", first: 20, after: $after) {
      edges { cursor node { __typename ... on S3CommonPrefix { prefix } ... on S3Object { key size lastModified } } }
      pageInfo { hasNextPage endCursor }
    }
  }
}

query EveryAccountAndRegion($after: String) {
  ec2Instances(accounts: ["*"], regions: ["*"], first: 50, after: $after, filter: { states: ["running"] }) {
    edges { cursor node { instanceId accountName accountId region instanceType } }
    pageInfo { hasNextPage endCursor }
    failedSources { accountName region code }
  }
}

query TheOrganization {
  organizationAccounts(first: 20) {
    totalCount
    edges { node { accountId name email status parentId joinedTimestamp } }
  }
}

# Every account of the organization; put an OU's id (a parentId above) in "accounts" for those below it.
query InstancesAcrossTheOrganization {
  ec2Instances(accounts: ["*"], regions: ["us-east-1", "eu-west-1"], first: 20) {
    totalCount
    byAccount: countBy(field: ACCOUNT) { key count }
    edges { node { instanceId accountName accountId region } }
  }
}

query NetworkEdges {
  ec2NatGateways(accounts: ["*"], regions: ["us-*", "eu-*"], first: 20) { edges { node { natGatewayId accountName region vpc { vpcId } subnet { subnetId } } } }
  ec2Addresses(first: 20) { edges { node { publicIp instance { instanceId } networkInterface { networkInterfaceId } } } }
}

query WhoHasWhat($after: String) {
  iamUsers(pathPrefix: "/engineering/", first: 20, after: $after) {
    edges {
      node {
        userName arn createDate
        groups(first: 10) { edges { node { groupName } } }
        attachedPolicies(first: 10) { edges { node { policyName arn } } }
        accessKeys { accessKeyId status createDate }
      }
    }
    pageInfo { hasNextPage endCursor }
  }
}
`;
