"""Amazon Connect contact flows as code: model, builders, linter, simulator, diagrams."""
