"""Mesa agents of the model: states, monitoring assets and guarantee commitments.

Every agent holds its state as arrays with a leading replication axis and acts on all replications
of its model at once.
"""

from deterrence_sim.agents.aggressor import Aggressor
from deterrence_sim.agents.commitments import GuaranteeCommitment
from deterrence_sim.agents.escalation import EscalationLadder
from deterrence_sim.agents.monitoring import MonitoringAsset, MonitoringMechanism
from deterrence_sim.agents.states import Defender, Guarantor, StateActor

__all__ = [
    "Aggressor",
    "Defender",
    "EscalationLadder",
    "GuaranteeCommitment",
    "Guarantor",
    "MonitoringAsset",
    "MonitoringMechanism",
    "StateActor",
]
