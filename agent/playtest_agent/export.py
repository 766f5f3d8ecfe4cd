"""Slims a training checkpoint for shipping: keeps the weights, hyper-parameters, action set,
iteration, epsilon, env and training curve; drops the target network, optimizer and RNG states."""

from __future__ import annotations

import os

import torch

from .dqn import load_checkpoint

KEEP = ("format", "hparams", "action_set", "model", "iteration", "episodes", "epsilon", "env", "history")


def export_checkpoint(source: str, destination: str) -> int:
    payload = load_checkpoint(source)
    slim = {key: payload[key] for key in KEEP if key in payload}
    slim["model"] = {name: tensor.clone() for name, tensor in slim["model"].items()}
    torch.save(slim, destination)
    return os.path.getsize(destination)
