"""Any torch module behind the interface ``Trainer`` drives.

The trainer and the optimizers work on one flat numpy vector of
parameters. ``TorchModel`` makes a module's parameters views of such a
vector, so an optimizer step on ``params`` moves the module's weights
with no copy. Later pages (convolutional and recurrent networks) train
through this with the same trainer, live panel and history as the MLP.
"""

import numpy as np
import torch


class TorchModel:
    """Wrap ``module`` (float64 from here on) for ``dlcore.trainer.Trainer``.

    Parameters
    ----------
    module : torch.nn.Module
        Any network; its outputs are fed to a ``dlcore.losses`` loss.

    Attributes
    ----------
    params, grad : arrays (n,)
        All parameters, flat; the module's parameters are views of
        ``params``. ``grad`` is filled by ``loss_and_gradient``.
    min_batch : int
        2 when the module has batch norm, else 1.
    """

    def __init__(self, module):
        self.module = module.double()
        self._tensors = list(self.module.parameters())
        sizes = [p.numel() for p in self._tensors]
        self.params = np.zeros(sum(sizes))
        self.grad = np.zeros_like(self.params)
        flat = torch.from_numpy(self.params)
        # Weight decay shrinks weight matrices and kernels, not biases.
        self._decay = np.zeros_like(self.params)
        at = 0
        for p, n in zip(self._tensors, sizes):
            view = flat[at:at + n].view_as(p)
            view.copy_(p.detach())
            p.data = view
            self._decay[at:at + n] = float(p.dim() > 1)
            at += n
        norms = (torch.nn.modules.batchnorm._BatchNorm,)
        has_norm = any(isinstance(m, norms) for m in self.module.modules())
        self.min_batch = 2 if has_norm else 1

    def forward(self, x, training=False):
        """Outputs for inputs ``x`` (a numpy array), as numpy."""
        self.module.train(training)
        with torch.no_grad():
            return self.module(torch.from_numpy(x)).numpy()

    def loss_and_gradient(self, x, targets, loss, weight_decay=0.0):
        """Data loss on one batch; its gradient (plus L2) into ``grad``."""
        self.module.train()
        for p in self._tensors:
            p.grad = None
        out = self.module(torch.from_numpy(x))

        # The loss and its gradient w.r.t. the outputs come from dlcore,
        # so every model is judged by the same numbers.
        value, d_out = loss.value_and_gradient(out.detach().numpy(), targets)
        out.backward(torch.from_numpy(np.ascontiguousarray(d_out)))

        at = 0
        for p in self._tensors:
            n = p.numel()
            g = p.grad
            self.grad[at:at + n] = 0.0 if g is None else g.reshape(-1).numpy()
            at += n
        if weight_decay:
            self.grad += weight_decay * self._decay * self.params
        return value, self.grad

    def state(self):
        """A copy of everything that changes in training."""
        buffers = [b.detach().clone() for b in self.module.buffers()]
        return self.params.copy(), buffers

    def load_state(self, state):
        """Restore what ``state()`` returned; mutates the module."""
        params, buffers = state
        self.params[...] = params
        for b, saved in zip(self.module.buffers(), buffers):
            b.copy_(saved)
