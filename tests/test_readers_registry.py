"""The built-in readers are named in the registry before their modules are imported: what the
registry says of each must be what its module's reader says."""
import pytest

from vault_export.inputs.readers import READERS


@pytest.mark.parametrize("registered", READERS, ids=lambda reader: reader.name)
def test_the_registry_names_each_reader_as_its_module_does(registered):
    assert (registered.reader.name, registered.reader.extensions) == (registered.name, registered.extensions)
