import pytest

from innovatorium.atlas.services import evidence_add, innovation_create, innovation_publish


@pytest.fixture
def publish_innovation():
    """Create and publish an innovation through the Atlas services (which index it)."""

    def make(network, name, summary="A useful innovation.", *, publish=True, **fields):
        fields.setdefault("innovation_type", "digital")
        evidence = fields.pop("evidence", ())
        innovation = innovation_create(network=network, actor=None, name=name, summary=summary, **fields)
        for evidence_type in evidence:
            evidence_add(innovation=innovation, actor=None, evidence_type=evidence_type, citation="A study")
        if publish:
            innovation = innovation_publish(innovation=innovation, actor=None)
        return innovation

    return make
