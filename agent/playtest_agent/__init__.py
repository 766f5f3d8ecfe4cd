"""Playtest agent runtime: VizDoom environment, agents, training and evaluation.

The Swift worker runs this package as a subprocess and reads JSON lines from its stdout
(see docs/agent-protocol.md). Logs go to stderr only.
"""

__version__ = "0.1.0"
