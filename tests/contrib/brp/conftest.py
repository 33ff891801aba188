import datetime

import pytest

from schakelpunt.contrib.brp.client import BrpClient
from schakelpunt.contrib.brp.simulator import start_simulator
from tests.organisations.factories import (
    DeskFactory,
    DistrictFactory,
    MunicipalityFactory,
    PostcodeAreaFactory,
)
from tests.residents.factories import ResidentFactory


@pytest.fixture(scope="session")
def simulator_server():
    """The simulator in this process, on a free loopback port, for the whole session."""
    server = start_simulator()
    yield server
    server.shutdown()
    server.server_close()


@pytest.fixture
def simulator(simulator_server, settings):
    """A fresh simulator state, and the settings pointing at it (no retries: tests stay fast)."""
    simulator_server.state.reset()
    settings.BRP_API_URL = simulator_server.personen_url
    settings.BRP_UPDATE_API_URL = simulator_server.update_url
    settings.BRP_API_KEY = ""
    settings.BRP_RETRIES = 0
    settings.BRP_TIMEOUT = 5
    return simulator_server


@pytest.fixture
def brp(simulator):
    return BrpClient.from_settings()


@pytest.fixture
def region(db):
    """A desk serving Rotterdam and The Hague, where most test persons live; 3077 lies in a district."""
    rotterdam = MunicipalityFactory(code="GM0599", name="Rotterdam")
    den_haag = MunicipalityFactory(code="GM0518", name="'s-Gravenhage")
    desk = DeskFactory(name="Loket Rijnmond", municipalities=[rotterdam, den_haag])
    district = DistrictFactory(code="WK059901", name="IJsselmonde", municipality=rotterdam)
    PostcodeAreaFactory(postcode="3077", district=district)
    return {"desk": desk, "rotterdam": rotterdam, "den_haag": den_haag, "district": district}


@pytest.fixture
def resident_for(region):
    """``resident_for("999993653")``: a resident as the register knows Suzanne Moulin (Boterdiep 31)."""

    def make(bsn="999993653", **kwargs):
        defaults = {
            "bsn": bsn,
            "given_names": "Suzanne",
            "birth_date": datetime.date(1985, 12, 1),
            "surname": "Moulin",
            "street": "Boterdiep",
            "house_number": 31,
            "postcode": "3077 AW",
            "town": "Rotterdam",
            "registered_desk": region["desk"],
            "municipality": region["rotterdam"],
        }
        defaults.update(kwargs)
        return ResidentFactory(**defaults)

    return make
