"""A multilayer perceptron in numpy with hand-written backpropagation.

Why not torch here: for a network of a few dozen units torch spends
almost all of a step on fixed overhead (about 290 us against 25 us for
plain numpy, measured in bench/playground.py), and a live page wants
hundreds of epochs a second.

All parameters live in one flat float64 vector, ``params``; each layer's
weight matrix and bias are views into it, and ``grad`` has the same
layout. An optimizer then updates every parameter with a few whole-vector
operations. Layout: all weight matrices first (so weight decay touches
one slice), then biases, then batch-norm scales and shifts.
"""

import numpy as np

from dlcore.activations import make_activation


class MLP:
    """Fully connected network: Linear -> [BatchNorm] -> activation, ..., Linear.

    Parameters
    ----------
    sizes : list of int
        Units per layer, inputs first and outputs last, e.g. ``[2, 8, 8, 1]``.
    activation : str, default "tanh"
        Hidden-layer activation, a key of ``dlcore.activations.ACTIVATIONS``.
        The output layer is linear; the loss turns outputs into scores.
    batch_norm : bool, default False
        Normalize each hidden pre-activation over the batch (Ioffe and
        Szegedy, 2015). The hidden layers then have no bias: the batch-norm
        shift takes its place.
    seed : int, default 0
        Seed of the initial weights (Glorot uniform; He uniform for the
        ReLU family, which halves the signal at every layer otherwise).
    slope, alpha : float
        Leaky ReLU's negative slope and ELU's alpha.
    bn_momentum, bn_eps : float, default 0.1 and 1e-5
        As in ``torch.nn.BatchNorm1d``.
    """

    def __init__(self, sizes, activation="tanh", batch_norm=False,
                 seed=0, slope=0.01, alpha=1.0,
                 bn_momentum=0.1, bn_eps=1e-5):
        self.sizes = list(sizes)
        self.activation = make_activation(activation, slope, alpha)
        self.batch_norm = bool(batch_norm)
        # Batch statistics need two examples at least (see Trainer).
        self.min_batch = 2 if self.batch_norm else 1
        self.bn_momentum = bn_momentum
        self.bn_eps = bn_eps
        self._build_views()
        self._initialize(seed, activation)
        # Without batch norm, training takes a leaner path through these
        # tuples (weights, bias, transposed weights, their gradients).
        self._plain = None if self.batch_norm else [
            (l["W"], l["b"], l["W"].T, l["dW"], l["db"]) for l in self.layers]

    # -- parameter layout ------------------------------------------------

    def _build_views(self):
        pairs = list(zip(self.sizes[:-1], self.sizes[1:]))
        last = len(pairs) - 1
        has_bias = [not self.batch_norm or i == last for i in range(len(pairs))]
        n_w = sum(a * b for a, b in pairs)
        n_b = sum(b for (a, b), h in zip(pairs, has_bias) if h)
        n_bn = sum(2 * b for (a, b), h in zip(pairs, has_bias) if not h)
        self.n_weights = n_w
        self.params = np.zeros(n_w + n_b + n_bn)
        self.grad = np.zeros_like(self.params)
        self.layers = []
        w_at, b_at = 0, n_w
        bn_at = n_w + n_b
        for (fan_in, fan_out), bias in zip(pairs, has_bias):
            layer = {}
            for buf, name in ((self.params, ""), (self.grad, "d")):
                cut = buf[w_at:w_at + fan_in * fan_out]
                layer[name + "W"] = cut.reshape(fan_in, fan_out)
                if bias:
                    layer[name + "b"] = buf[b_at:b_at + fan_out]
                else:
                    layer[name + "gamma"] = buf[bn_at:bn_at + fan_out]
                    at = bn_at + fan_out
                    layer[name + "beta"] = buf[at:at + fan_out]
            w_at += fan_in * fan_out
            if bias:
                b_at += fan_out
            else:
                bn_at += 2 * fan_out
                layer["running_mean"] = np.zeros(fan_out)
                layer["running_var"] = np.ones(fan_out)
            self.layers.append(layer)

    def _initialize(self, seed, activation):
        rng = np.random.default_rng(seed)
        relu_like = activation in ("relu", "leaky_relu", "elu")
        for layer in self.layers:
            fan_in, fan_out = layer["W"].shape
            if relu_like:
                limit = np.sqrt(6.0 / fan_in)
            else:
                limit = np.sqrt(6.0 / (fan_in + fan_out))
            layer["W"][...] = rng.uniform(-limit, limit, (fan_in, fan_out))
            if "gamma" in layer:
                layer["gamma"][...] = 1.0

    @property
    def weights(self):
        """The weight entries of ``params`` (a view): what decay shrinks."""
        return self.params[:self.n_weights]

    def state(self):
        """A copy of everything that changes in training."""
        stats = [(l["running_mean"].copy(), l["running_var"].copy())
                 for l in self.layers if "gamma" in l]
        return self.params.copy(), stats

    def load_state(self, state):
        """Restore what ``state()`` returned; mutates the model in place."""
        params, stats = state
        self.params[...] = params
        bn_layers = [l for l in self.layers if "gamma" in l]
        for layer, (mean, var) in zip(bn_layers, stats):
            layer["running_mean"][...] = mean
            layer["running_var"][...] = var

    # -- forward and backward ------------------------------------------

    def forward(self, x, training=False):
        """Outputs of shape ``(batch, sizes[-1])`` for inputs ``(batch, sizes[0])``.

        With ``training=True`` batch norm uses the batch's own mean and
        variance and updates its running averages; otherwise it uses the
        running averages.
        """
        if self._plain is not None:
            return self._forward_plain(x)[0]
        return self._forward(x, training)[0]

    def hidden_activations(self, x):
        """Each hidden layer's activations on ``x``, in eval mode.

        Returns a list with one array of shape ``(batch, units)`` a layer.
        """
        if self._plain is not None:
            return self._forward_plain(x)[2][1:]
        return self._forward(x, training=False)[1][1:-1]

    def _forward(self, x, training):
        acts, cache = [x], []
        a = x
        last = len(self.layers) - 1
        f = self.activation.forward
        for i, layer in enumerate(self.layers):
            z = np.dot(a, layer["W"])
            if "b" in layer:
                z += layer["b"]
                norm = None
            else:
                z, norm = self._batch_norm(z, layer, training)
            a = z if i == last else f(z)
            acts.append(a)
            cache.append((z, norm))
        return a, acts, cache

    def _forward_plain(self, x):
        # The hot path of training: np.dot and in-place adds, since for
        # arrays this small each numpy call costs more than its arithmetic.
        f = self.activation.forward
        zs, acts = [], [x]
        a = x
        for W, b, _, _, _ in self._plain[:-1]:
            z = np.dot(a, W)
            z += b
            a = f(z)
            zs.append(z)
            acts.append(a)
        W, b = self._plain[-1][:2]
        out = np.dot(a, W)
        out += b
        return out, zs, acts

    def _backward_plain(self, delta, zs, acts):
        backprop = self.activation.backprop
        add, dot = np.add.reduce, np.dot
        for i in range(len(self._plain) - 1, -1, -1):
            _, _, WT, dW, db = self._plain[i]
            add(delta, 0, out=db)
            dot(acts[i].T, delta, out=dW)
            if i:
                delta = backprop(dot(delta, WT), zs[i - 1], acts[i])

    def _batch_norm(self, z, layer, training):
        if training:
            mean = z.mean(axis=0)
            var = z.var(axis=0)
            m = self.bn_momentum
            n = len(z)
            # torch keeps the unbiased variance as its running estimate.
            unbiased = var * n / max(n - 1, 1)
            layer["running_mean"] *= 1 - m
            layer["running_mean"] += m * mean
            layer["running_var"] *= 1 - m
            layer["running_var"] += m * unbiased
        else:
            mean = layer["running_mean"]
            var = layer["running_var"]
        inv_std = 1.0 / np.sqrt(var + self.bn_eps)
        z_hat = (z - mean) * inv_std
        return z_hat * layer["gamma"] + layer["beta"], (z_hat, inv_std)

    def loss_and_gradient(self, x, targets, loss, weight_decay=0.0):
        """Loss on one batch and its gradient, written into ``self.grad``.

        Parameters
        ----------
        x : array (batch, inputs)
        targets : array (batch, outputs), encoded by ``loss.encode``
        loss : a loss from ``dlcore.losses``
        weight_decay : float
            L2 penalty ``weight_decay / 2 * sum(W**2)`` added to the
            objective, so ``weight_decay * W`` is added to the gradient;
            biases and batch-norm parameters are not decayed.

        Returns the data loss (without the penalty) and ``self.grad``.
        Mutates batch-norm running statistics.
        """
        if self._plain is not None:
            out, zs, acts = self._forward_plain(x)
            value, delta = loss.value_and_gradient(out, targets)
            self._backward_plain(delta, zs, acts)
        else:
            out, acts, cache = self._forward(x, training=True)
            value, delta = loss.value_and_gradient(out, targets)
            self._backward(delta, acts, cache)
        if weight_decay:
            self.grad[:self.n_weights] += weight_decay * self.weights
        return value, self.grad

    def penalty(self, weight_decay):
        """The L2 term ``weight_decay / 2 * sum(W**2)`` of the objective."""
        w = self.weights
        return 0.5 * weight_decay * float(w @ w)

    def _backward(self, delta, acts, cache):
        backprop = self.activation.backprop
        add = np.add.reduce
        for i in range(len(self.layers) - 1, -1, -1):
            layer = self.layers[i]
            z, norm = cache[i]
            if i < len(self.layers) - 1:
                delta = backprop(delta, z, acts[i + 1])
            if norm is None:
                add(delta, 0, out=layer["db"])
            else:
                delta = self._batch_norm_backward(delta, layer, norm)
            np.dot(acts[i].T, delta, out=layer["dW"])
            if i > 0:
                delta = np.dot(delta, layer["W"].T)

    def _batch_norm_backward(self, delta, layer, norm):
        z_hat, inv_std = norm
        np.sum(delta * z_hat, axis=0, out=layer["dgamma"])
        np.sum(delta, axis=0, out=layer["dbeta"])
        g = delta * layer["gamma"]
        # d loss / d z through the batch mean and variance as well.
        return inv_std * (g - g.mean(axis=0)
                          - z_hat * (g * z_hat).mean(axis=0))
