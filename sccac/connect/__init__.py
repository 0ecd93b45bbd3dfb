"""The Connect wiring engine: desired state, instance reader, planner, applier, drift (``sccac connect``)."""
