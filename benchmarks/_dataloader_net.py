"""BAEGANNet with skorch's default data loading, the "before" of the slicing change."""

from __future__ import annotations

from skorch import NeuralNet
from skorch.utils import to_tensor

from imblearn_baegan import BAEGANNet

__all__ = ["DataLoaderBAEGANNet"]


class DataLoaderBAEGANNet(BAEGANNet):
    """BAEGANNet that loads batches as a plain skorch net does.

    The data stay in a :class:`skorch.dataset.Dataset` in host memory and a
    :class:`torch.utils.data.DataLoader` indexes and collates them sample by
    sample, moving each batch to the device; :class:`BAEGANNet` instead puts
    whole tensors on the device once and slices batches from them. Pass
    ``iterator_train__shuffle=True`` to shuffle as BAEGANNet does.
    """

    def get_dataset(self, X, y=None):
        """skorch's default dataset."""
        return NeuralNet.get_dataset(self, X, y)

    def get_iterator(self, dataset, training=False):
        """skorch's default DataLoader."""
        return NeuralNet.get_iterator(self, dataset, training=training)

    def train_step(self, batch, **fit_params):
        """Move the collated batch to the device, then train as BAEGANNet does."""
        x, c = batch
        return super().train_step(
            (to_tensor(x, self.device).float(), to_tensor(c, self.device).long()), **fit_params
        )
