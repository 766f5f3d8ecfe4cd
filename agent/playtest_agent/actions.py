"""Arnold-style action sets: groups of buttons combined into one discrete action space.

A combination string such as "move_fb;move_lr;turn_lr;attack" names groups separated by
";". Each group offers "nothing" or one of its buttons; the action space is every
combination of one choice per group (so "turn_lr;attack" has 3 x 2 = 6 actions, and
"move_fb;move_lr;turn_lr;attack" has 3 x 3 x 3 x 2 = 54).
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass

import vizdoom as vzd

GROUPS: dict[str, tuple[str, ...]] = {
    "move_fb": ("MOVE_FORWARD", "MOVE_BACKWARD"),
    "move_lr": ("MOVE_LEFT", "MOVE_RIGHT"),
    "turn_lr": ("TURN_LEFT", "TURN_RIGHT"),
    "look_ud": ("LOOK_UP", "LOOK_DOWN"),
    "attack": ("ATTACK",),
    "use": ("USE",),
    "speed": ("SPEED",),
    "jump": ("JUMP",),
    "crouch": ("CROUCH",),
}


@dataclass(frozen=True)
class ActionSet:
    """The engine buttons, in order, and every action as a vector over them: 0/1 for a button, a value
    for a delta button (`TURN_LEFT_RIGHT_DELTA`: degrees per tic, positive turns right)."""

    buttons: tuple[str, ...]
    actions: tuple[tuple[float, ...], ...]
    combinations: str | None  # the string it was parsed from; None for a scenario's own buttons

    def __len__(self) -> int:
        return len(self.actions)

    def pressed(self, index: int) -> list[str]:
        """The names of the buttons that action `index` presses; a delta button as `NAME=value`."""
        return [name if not name.endswith("_DELTA") else f"{name}={down:g}"
                for name, down in zip(self.buttons, self.actions[index]) if down]

    def to_dict(self) -> dict[str, object]:
        return {"buttons": list(self.buttons), "actions": [list(a) for a in self.actions], "combinations": self.combinations}

    @staticmethod
    def from_dict(data: dict[str, object]) -> "ActionSet":
        buttons = tuple(str(b) for b in data["buttons"])  # type: ignore[union-attr]
        actions = tuple(tuple(int(x) for x in a) for a in data["actions"])  # type: ignore[union-attr]
        combinations = data.get("combinations")
        return ActionSet(buttons, actions, combinations if isinstance(combinations, str) else None)

    def vizdoom_buttons(self) -> list[vzd.Button]:
        return [getattr(vzd.Button, name) for name in self.buttons]


def parse_combinations(text: str) -> ActionSet:
    """Parses "move_fb;move_lr;turn_lr;attack" into an ActionSet (ValueError if unknown)."""
    names = [part.strip() for part in text.split(";") if part.strip()]
    if not names:
        raise ValueError("action_combinations is empty")
    unknown = [n for n in names if n not in GROUPS]
    if unknown:
        raise ValueError(f"unknown action group(s) {', '.join(unknown)}; known: {', '.join(GROUPS)}")
    if len(set(names)) != len(names):
        raise ValueError("an action group appears twice in action_combinations")
    buttons = tuple(button for name in names for button in GROUPS[name])
    choices = [(None,) + GROUPS[name] for name in names]
    actions = []
    for combo in itertools.product(*choices):
        down = set(b for b in combo if b is not None)
        actions.append(tuple(1 if b in down else 0 for b in buttons))
    return ActionSet(buttons, tuple(actions), text)


def one_hot_actions(buttons: list[str]) -> ActionSet:
    """One action per button (a scenario's own button list, as in the VizDoom examples)."""
    actions = tuple(tuple(1 if i == j else 0 for j in range(len(buttons))) for i in range(len(buttons)))
    return ActionSet(tuple(buttons), actions, None)
