"""What the Lambdas need before they can sign in to Salesforce: the connected app, its key, the secret, the domain."""
