"""The AWS Lambda functions the SCC-AC contact flows invoke."""
