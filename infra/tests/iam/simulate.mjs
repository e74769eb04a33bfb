// Evaluates IAM requests against identity policies offline with @cloud-copilot/iam-simulate,
// which models every condition operator and checks that each context key exists for the action.
// stdin: a JSON array of {policies: [policy document], action, resource, context, resourcePolicy?};
// stdout: a JSON array with each request's decision (Allowed, ImplicitlyDenied, ExplicitlyDenied).
// A request the simulator finds invalid (unknown action, a resource of the wrong type) or a
// context key it would ignore (one the action does not have, or one it does not model, such as
// kms:EncryptionContext:<key>) exits with status 2 and the reason on stderr: a request is never
// decided on less context than it was given.
import { runSimulation } from '@cloud-copilot/iam-simulate'

const ACCOUNT = '123456789012'
let input = ''
for await (const chunk of process.stdin) input += chunk

const decisions = []
for (const request of JSON.parse(input)) {
  const response = await runSimulation({
    identityPolicies: request.policies.map((policy, i) => ({ name: `policy${i}`, policy })),
    serviceControlPolicies: [],
    resourceControlPolicies: [],
    ...(request.resourcePolicy ? { resourcePolicy: request.resourcePolicy } : {}),
    request: {
      action: request.action,
      principal: `arn:aws:iam::${ACCOUNT}:role/keyward-function`,
      resource: { accountId: ACCOUNT, resource: request.resource },
      contextVariables: request.context ?? {}
    }
  }, {})
  if (response.resultType === 'error') {
    process.stderr.write(JSON.stringify({ request, errors: response.errors }, null, 2) + '\n')
    process.exit(2)
  }
  const ignored = response.result?.ignoredContextKeys ?? []
  if (ignored.length > 0) {
    process.stderr.write(JSON.stringify({ request, ignoredContextKeys: ignored }, null, 2) + '\n')
    process.exit(2)
  }
  decisions.push(response.overallResult)
}
process.stdout.write(JSON.stringify(decisions))
