#!/usr/bin/env bash
# Puts the admin console on a stack deployed with AdminConsole=true: writes config.json from the
# stack's outputs, uploads local/src/main/resources/console/ to the console bucket and refreshes
# CloudFront. Run again after each change to the console. Needs the AWS CLI and credentials.
#
#   infra/deploy-console.sh [STACK]      (default: keyward, as in infra/samconfig.toml)
set -euo pipefail
cd "$(dirname "$0")/.."
stack="${1:-keyward}"
region="${AWS_REGION:-${AWS_DEFAULT_REGION:-$(aws configure get region)}}"

output() {
    aws cloudformation describe-stacks --region "$region" --stack-name "$stack" \
        --query "Stacks[0].Outputs[?OutputKey=='$1'].OutputValue" --output text
}

bucket=$(output ConsoleBucketName)
if [[ -z "$bucket" || "$bucket" == None ]]; then
    echo "stack $stack has no console: deploy it with --parameter-overrides AdminConsole=true first" >&2
    exit 1
fi

files=$(mktemp -d)
trap 'rm -rf "$files"' EXIT
cp local/src/main/resources/console/* "$files/"
# what auth.js reads (infra/tests/test_console_stack.py checks the two name the same keys)
cat >"$files/config.json" <<JSON
{
  "apiUrl": "$(output ApiUrl)",
  "region": "$region",
  "userPoolId": "$(output ConsoleUserPoolId)",
  "userPoolClientId": "$(output ConsoleUserPoolClientId)",
  "authDomain": "$(output ConsoleAuthDomain)",
  "identityPoolId": "$(output ConsoleIdentityPoolId)"
}
JSON

# the page at / and its files under /console/, as the local API serves them. The scripts are ES
# modules, which a browser runs only when served with a JavaScript type: theirs is set here rather
# than left to the uploading machine's guess. (A sync's --delete leaves what it excludes alone.)
aws s3 cp --region "$region" "$files/index.html" "s3://$bucket/index.html" --content-type "text/html; charset=utf-8"
aws s3 sync --region "$region" --delete --exclude index.html --exclude "*.js" "$files/" "s3://$bucket/console/"
aws s3 sync --region "$region" --delete --exclude "*" --include "*.js" --content-type "text/javascript; charset=utf-8" \
    "$files/" "s3://$bucket/console/"
aws cloudfront create-invalidation --distribution-id "$(output ConsoleDistributionId)" --paths "/*" >/dev/null
echo "The console is at $(output ConsoleUrl)"
