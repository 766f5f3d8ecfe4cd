"""A suite of small maps with planted rendering defects and clean controls, and a camera to view them.

Every map is a 1024 x 1024 room (the player's sector) with a feature in its east wall, x = 1024,
y = 384..640, sometimes more. Each records its ground truth: the planted defects (the linedef and
sidedef, the cause, and the visual kind VizDoom shows for it, see docs/visual-defects.md) and
viewpoints, each with the defects it sees and where they lie across the frame.

The visual kind follows from the geometry by the renderer's rules (docs/visual-defects.md), with
the eye 41 units above the room's floor (0):
- missing lower texture ("-") on a step whose top is below the eye: the higher floor bleeds
  (flat_bleeding, floor); above the eye: hall_of_mirrors;
- missing upper texture on a drop whose ceiling is above the eye: the lower ceiling bleeds
  (flat_bleeding, ceiling), or the sky if that ceiling is sky (flat_bleeding, sky); below the eye:
  hall_of_mirrors;
- missing middle texture on a one-sided line: hall_of_mirrors;
- a texture name no WAD defines: missing_texture (the engine's checkerboard).

Views are "far" (256 to 700 units from the feature, the headline numbers) or "close" (under 160
units, reported apart: the defect fills the frame there, see the docs).
"""

from __future__ import annotations

import math
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

import numpy as np
import omg
import vizdoom as vzd

from mapbuilder import MapBuilder

Point = tuple[int, int]
EYE = 41  # Doom's view height above the floor
FOV = 90.0  # VizDoom's horizontal field of view in degrees at 4:3
EAST = ((1024, 384), (1024, 640))  # the feature's edge in every map
VIZDOOM_DIR = Path(os.path.dirname(vzd.__file__))
FREEDOOM2 = str(VIZDOOM_DIR / "freedoom2.wad")
UNDEFINED = "NOSUCHTX"  # a texture name that no WAD defines


@dataclass
class Defect:
    kind: str  # hall_of_mirrors | flat_bleeding | missing_texture
    cause: str  # missing_lower | missing_upper | missing_middle | undefined_texture
    segment: tuple[Point, Point]
    surface: str | None = None  # flat_bleeding: floor | ceiling | sky
    line: int = -1  # linedef index, set once built
    sidedef: int = -1

    def to_json(self) -> dict[str, Any]:
        return {"kind": self.kind, "cause": self.cause, "segment": self.segment, "surface": self.surface,
                "line": self.line, "sidedef": self.sidedef}


@dataclass
class View:
    x: int
    y: int
    angle: float  # degrees, Doom convention (0 east, 90 north)
    close: bool = False
    # filled by PlantedMap.finish(): [defect index, first column fraction, last column fraction]
    sees: list[tuple[int, float, float]] = field(default_factory=list)


@dataclass
class PlantedMap:
    name: str
    path: str
    defects: list[Defect]
    views: list[View]
    note: str

    @property
    def clean(self) -> bool:
        return not self.defects

    def finish(self) -> "PlantedMap":
        for view in self.views:
            view.sees = []
            for i, defect in enumerate(self.defects):
                span = screen_span(view, defect.segment)
                if span is not None:
                    view.sees.append((i, span[0], span[1]))
        return self


def screen_span(view: View, segment: tuple[Point, Point], margin: float = 0.02) -> tuple[float, float] | None:
    """The part of the frame's width (0 left .. 1 right) that a wall segment covers from a viewpoint, by
    projection with the 90 degree field of view; None when it is out of view. The rooms are convex
    and defects lie on their walls, so nothing occludes them."""
    a = math.radians(view.angle)
    forward, left = (math.cos(a), math.sin(a)), (-math.sin(a), math.cos(a))
    (x1, y1), (x2, y2) = segment
    columns = []
    for t in np.linspace(0.0, 1.0, 65):
        px, py = x1 + (x2 - x1) * t - view.x, y1 + (y2 - y1) * t - view.y
        depth = px * forward[0] + py * forward[1]
        side = px * left[0] + py * left[1]
        if depth > 1:
            u = 0.5 - 0.5 * side / depth  # tan(45 deg) = 1: the frame's edge
            if margin <= u <= 1 - margin:
                columns.append(u)
    if len(columns) < 3:
        return None
    return min(columns), max(columns)


# Maps ---------------------------------------------------------------------------------------------

Builder = Callable[[MapBuilder, int], list[Defect]]
_WALLS = ("STARTAN3", "BROWN1", "GRAY1", "STONE2", "BRICK1")
_FLOORS = ("FLOOR4_8", "FLOOR0_1", "FLAT5_4", "FLOOR5_1", "FLAT14")
_CEILINGS = ("CEIL3_5", "CEIL5_1", "FLAT1", "CEIL3_3", "CEIL1_1")


def _room(b: MapBuilder, style: int, extra_east: list[Point] | None = None, light: int = 192) -> int:
    east = [(1024, 384), (1024, 640)] + (extra_east or [])
    east.sort(key=lambda p: p[1])
    points = [(0, 0), (0, 1024), (1024, 1024)] + list(reversed(east)) + [(1024, 0)]
    return b.sector(points, ceiling=160, light=light, floor_flat=_FLOORS[style % 5], ceiling_flat=_CEILINGS[style % 5])


def _alcove(b: MapBuilder, style: int, floor: int = 0, ceiling: int = 160, sky: bool = False, y0: int = 384,
            y1: int = 640, depth: int = 256, light: int = 192) -> int:
    return b.sector([(1024, y0), (1024, y1), (1024 + depth, y1), (1024 + depth, y0)], floor=floor, ceiling=ceiling,
                    light=light, floor_flat=_FLOORS[(style + 2) % 5],
                    ceiling_flat="F_SKY1" if sky else _CEILINGS[(style + 1) % 5])


def _far_views(target: Point = (1024, 512)) -> list[View]:
    """Four views toward the target from 256 to 700 units, the target at different places in the frame,
    and two facing away (the target out of view)."""
    views = []
    for x, y, offset in ((700, 512, 0), (500, 300, 14), (450, 760, -18), (330, 520, 22)):
        angle = math.degrees(math.atan2(target[1] - y, target[0] - x)) + offset
        views.append(View(x, y, round(angle, 1)))
    views += [View(600, 512, 180.0), View(300, 800, 225.0)]
    return views


def _close_view(target: Point = (1024, 512)) -> View:
    return View(target[0] - 120, target[1] + 10, 0.0, close=True)


def _lower(step: int, light: int = 192) -> Builder:
    def build(b: MapBuilder, style: int) -> list[Defect]:
        room = _room(b, style, light=light)
        _alcove(b, style, floor=step, ceiling=max(160, step + 96), light=light)
        b.sidedef(*EAST, room, lower="-")
        kind, surface = ("flat_bleeding", "floor") if step < EYE else ("hall_of_mirrors", None)
        return [Defect(kind, "missing_lower", EAST, surface)]
    return build


def _upper(ceiling: int, sky: bool = False, floor: int = 0) -> Builder:
    def build(b: MapBuilder, style: int) -> list[Defect]:
        room = _room(b, style)
        _alcove(b, style, floor=floor, ceiling=ceiling, sky=sky)
        b.sidedef(*EAST, room, upper="-")
        if ceiling < EYE:
            return [Defect("hall_of_mirrors", "missing_upper", EAST)]
        return [Defect("flat_bleeding", "missing_upper", EAST, "sky" if sky else "ceiling")]
    return build


def _middle(b: MapBuilder, style: int) -> list[Defect]:
    room = _room(b, style)
    b.sidedef(*EAST, room, middle="-")
    return [Defect("hall_of_mirrors", "missing_middle", EAST)]


def _unclosed(b: MapBuilder, style: int) -> list[Defect]:
    """The room's east wall segment is deleted after building (see build_map): the sector is open to the
    void, the classic broken-geometry hall of mirrors."""
    _room(b, style)
    return [Defect("hall_of_mirrors", "unclosed_sector", EAST)]


def _undefined_wall(b: MapBuilder, style: int) -> list[Defect]:
    room = _room(b, style)
    b.sidedef(*EAST, room, middle=UNDEFINED)
    return [Defect("missing_texture", "undefined_texture", EAST)]


def _undefined_lower(b: MapBuilder, style: int) -> list[Defect]:
    room = _room(b, style, light=160)
    _alcove(b, style, floor=56, ceiling=200, light=160)
    b.sidedef(*EAST, room, lower=UNDEFINED)
    return [Defect("missing_texture", "undefined_texture", EAST)]


def _window_upper(b: MapBuilder, style: int) -> list[Defect]:
    """A window (sill 32, lintel 112) through a 32-thick wall into a second room; no upper texture on the
    room's side, so the window's ceiling bleeds up into the lintel."""
    room = _room(b, style)
    _alcove(b, style, floor=32, ceiling=112, depth=32)
    b.sector([(1056, 256), (1056, 384), (1056, 640), (1056, 768), (1400, 768), (1400, 256)], ceiling=192,
             floor_flat=_FLOORS[style % 5], ceiling_flat=_CEILINGS[style % 5])
    b.sidedef(*EAST, room, upper="-")
    return [Defect("flat_bleeding", "missing_upper", EAST, "ceiling")]


def _door_without_upper(b: MapBuilder, style: int) -> list[Defect]:
    """A closed door (ceiling = floor) whose room side has no upper texture: the classic door HOM."""
    room = _room(b, style)
    _alcove(b, style, floor=0, ceiling=0, depth=16, y0=448, y1=576)
    b.sector([(1040, 384), (1040, 448), (1040, 576), (1040, 640), (1300, 640), (1300, 384)], ceiling=128)
    door = ((1024, 448), (1024, 576))
    b.sidedef(*door, room, upper="-")
    return [Defect("hall_of_mirrors", "missing_upper", door)]


def _two_defects(b: MapBuilder, style: int) -> list[Defect]:
    """A step with no lower texture on the east wall and a ceiling drop with no upper one on the north."""
    north = ((384, 1024), (640, 1024))
    room = b.sector([(0, 0), (0, 1024), (384, 1024), (640, 1024), (1024, 1024), (1024, 640), (1024, 384), (1024, 0)],
                    ceiling=160, floor_flat=_FLOORS[style % 5], ceiling_flat=_CEILINGS[style % 5])
    _alcove(b, style, floor=24)
    b.sector([(384, 1024), (384, 1280), (640, 1280), (640, 1024)], ceiling=104)
    b.sidedef(*EAST, room, lower="-")
    b.sidedef(*north, room, upper="-")
    return [Defect("flat_bleeding", "missing_lower", EAST, "floor"),
            Defect("flat_bleeding", "missing_upper", north, "ceiling")]


def _clean_steps(b: MapBuilder, style: int) -> list[Defect]:
    """A step up (32, textured), a high ledge (96), and a ceiling drop (96): all walls textured."""
    _room(b, style, extra_east=[(1024, 128), (1024, 896)])
    b.sector([(1024, 128), (1024, 384), (1280, 384), (1280, 128)], floor=96, ceiling=256)
    _alcove(b, style, floor=32)
    b.sector([(1024, 640), (1024, 896), (1280, 896), (1280, 640)], ceiling=96)
    return []


def _clean_sky_window(b: MapBuilder, style: int) -> list[Defect]:
    """A window into a courtyard whose sky ceiling is higher than the room's: the sky is rightly seen."""
    _room(b, style)
    _alcove(b, style, floor=32, ceiling=112, depth=32)
    b.sector([(1056, 256), (1056, 384), (1056, 640), (1056, 768), (1600, 768), (1600, 256)], ceiling=256,
             floor=-32, ceiling_flat="F_SKY1")
    return []


def _clean_door_and_crawlspace(b: MapBuilder, style: int) -> list[Defect]:
    _room(b, style, extra_east=[(1024, 128), (1024, 256)])
    b.sector([(1024, 128), (1024, 256), (1280, 256), (1280, 128)], ceiling=24)
    _alcove(b, style, floor=0, ceiling=0, depth=16, y0=448, y1=576)
    b.sector([(1040, 384), (1040, 448), (1040, 576), (1040, 640), (1300, 640), (1300, 384)], ceiling=128)
    b.sector([(1024, 384), (1024, 448), (1040, 448), (1040, 384)], ceiling=160)
    b.sector([(1024, 576), (1024, 640), (1040, 640), (1040, 576)], ceiling=160)
    return []


def _clean_stairs(b: MapBuilder, style: int) -> list[Defect]:
    """Eight 16-unit steps up into the east, under a rising ceiling, textured."""
    _room(b, style, light=144)
    for i in range(8):
        x0 = 1024 + 32 * i
        b.sector([(x0, 384), (x0, 640), (x0 + 32, 640), (x0 + 32, 384)], floor=16 * (i + 1), ceiling=160 + 16 * (i + 1),
                 light=144)
    return []


def _clean_sky_fence(b: MapBuilder, style: int) -> list[Defect]:
    """A window onto a courtyard (sky at 256) with a low fence sector (sky at 64) beyond it: the
    'sky hack' leaves out the fence's upper wall on purpose, a common and intended sight in Doom maps."""
    _room(b, style)
    _alcove(b, style, floor=32, ceiling=112, depth=32)
    b.sector([(1056, 256), (1056, 384), (1056, 640), (1056, 768), (1400, 768), (1400, 256)], ceiling=256,
             ceiling_flat="F_SKY1")
    b.sector([(1400, 256), (1400, 768), (1432, 768), (1432, 256)], floor=64, ceiling=64, ceiling_flat="F_SKY1")
    b.sector([(1432, 256), (1432, 768), (1800, 768), (1800, 256)], ceiling=256, ceiling_flat="F_SKY1")
    return []


SUITE: list[tuple[str, Builder, str]] = [
    ("lower_bleed_32", _lower(32), "32-unit step, no lower texture"),
    ("lower_bleed_16", _lower(16, light=128), "16-unit step in a darker room, no lower texture"),
    ("lower_hom_96", _lower(96), "96-unit ledge (above the eye), no lower texture"),
    ("upper_bleed_96", _upper(96), "ceiling drop to 96, no upper texture"),
    ("upper_bleed_window", _window_upper, "window with no upper texture on the room's side"),
    ("upper_hom_24", _upper(24), "crawlspace ceiling at 24 (below the eye), no upper texture"),
    ("door_hom", _door_without_upper, "closed door, no upper texture on the room's side"),
    ("sky_bleed_96", _upper(96, sky=True), "sky ceiling dropping to 96, no upper texture"),
    ("middle_hom", _middle, "one-sided wall with no middle texture"),
    ("unclosed_sector", _unclosed, "the room's east wall segment deleted: the sector is open to the void"),
    ("undefined_wall", _undefined_wall, "one-sided wall with an undefined texture name"),
    ("undefined_lower", _undefined_lower, "56-unit ledge whose lower texture name is undefined"),
    ("two_defects", _two_defects, "a 24-step with no lower texture and a ceiling drop with no upper"),
    ("clean_steps", _clean_steps, "control: textured step, ledge and ceiling drop"),
    ("clean_sky_window", _clean_sky_window, "control: window onto a higher sky courtyard"),
    ("clean_door", _clean_door_and_crawlspace, "control: textured closed door and crawlspace"),
    ("clean_stairs", _clean_stairs, "control: textured stairs"),
    ("clean_sky_fence", _clean_sky_fence, "control: window onto a courtyard with a sky-hack fence"),
]


def build_map(name: str, directory: Path) -> PlantedMap:
    index = [n for n, _, _ in SUITE].index(name)
    _, builder, note = SUITE[index]
    b = MapBuilder()
    defects = builder(b, index)
    b.thing(100, 100, 1)
    editor = b.build()
    walls = _WALLS[index % len(_WALLS)]
    for side in editor.sidedefs:  # vary the walls between maps; planted textures stay as they are
        for part in ("tx_up", "tx_low", "tx_mid"):
            if getattr(side, part) == "STARTAN3":
                setattr(side, part, walls)
    for defect in defects:
        key = frozenset(defect.segment)
        defect.line = b.line_index[key]
        if defect.cause == "unclosed_sector":
            del editor.linedefs[defect.line]  # the gap is the defect: no line, so `line` stays the deleted index
            continue
        defect.sidedef = next(b.sidedef_index[side] for side in b.side_specs if side[0] == key)
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / f"{name}.wad"
    wad = omg.WAD()
    wad.maps["MAP01"] = editor.to_lumps()
    wad.to_file(str(path))
    target = ((defects[0].segment[0][0] + defects[0].segment[1][0]) // 2,
              (defects[0].segment[0][1] + defects[0].segment[1][1]) // 2) if defects else (1024, 512)
    views = _far_views(target) + [_close_view(target)] if target[0] == 1024 else _far_views(target)
    if name == "two_defects":
        views += _far_views((512, 1024))[:4]
    return PlantedMap(name, str(path), defects, views, note).finish()


def build_suite(directory: Path) -> list[PlantedMap]:
    directory.mkdir(parents=True, exist_ok=True)
    return [build_map(name, directory) for name, _, _ in SUITE]


# The camera -------------------------------------------------------------------------------------

class Camera:
    """A VizDoom game used as a camera: warps the player to a point, turns it to an angle, and renders the
    frame (RGB; no HUD, weapon or messages) with its depth buffer and the frame rendered just before, from a
    view a few degrees away (so a stale region shows). God mode and notarget keep it alive."""

    def __init__(self, iwad: str, map_name: str, pwad: str | None = None, resolution: str = "RES_320X240",
                 monsters: bool = True) -> None:
        game = vzd.DoomGame()
        game.set_doom_game_path(iwad)
        if pwad:
            game.set_doom_scenario_path(pwad)
        game.set_doom_map(map_name)
        game.set_screen_resolution(getattr(vzd.ScreenResolution, resolution))
        game.set_screen_format(vzd.ScreenFormat.RGB24)
        game.set_window_visible(False)
        game.set_sound_enabled(False)
        game.set_render_hud(False)  # the status bar is never written to the depth buffer (reads as 0)
        game.set_render_weapon(False)
        game.set_render_screen_flashes(False)
        game.set_depth_buffer_enabled(True)
        game.set_labels_buffer_enabled(True)  # which pixels are things (sprites)
        game.set_mode(vzd.Mode.PLAYER)
        # Messages ("A secret is revealed!", pickups) are drawn over the frame with depth 0, like the HUD.
        game.add_game_args("+sv_cheats 1 +cl_showsecretmessage 0 +show_messages 0"
                           + ("" if monsters else " -nomonsters"))
        game.set_available_buttons([vzd.Button.TURN_LEFT_RIGHT_DELTA])
        game.set_available_game_variables([vzd.GameVariable.POSITION_X, vzd.GameVariable.POSITION_Y,
                                           vzd.GameVariable.POSITION_Z, vzd.GameVariable.ANGLE])
        game.set_episode_timeout(0)
        game.init()
        game.send_game_command("god")
        game.send_game_command("notarget")
        self.game = game

    def _step(self, turn: float = 0.0) -> vzd.GameState:
        self.game.make_action([turn])
        state = self.game.get_state()
        if state is None:
            raise RuntimeError("the episode ended under the camera")
        return state

    def _face(self, angle: float) -> tuple[vzd.GameState, np.ndarray]:
        """Turns to `angle`; returns the state and the frame rendered just before it."""
        state = self._step()
        previous = state.screen_buffer.copy()
        for _ in range(4):  # a turn is sometimes dropped on the first tic after a warp: retry
            delta = (float(state.game_variables[3]) - angle + 180.0) % 360.0 - 180.0  # positive turns right
            if abs(delta) < 0.3:
                break
            previous = state.screen_buffer.copy()
            state = self._step(delta)
        return state, previous

    def look(self, x: float, y: float, angle: float, lead: float = 6.0, step: float = 16.0) -> dict[str, Any]:
        """Renders the view; returns frame, depth, things (a mask of sprite pixels), previous (the frame
        just before, from `lead` degrees to the left), elsewhere (the same angle from `step` units to the
        left, rendered after), tic and where the player really is. The first frame after a warp is drawn
        from a stale eye position, so each warp is followed by a tic before anything is kept; a warp keeps
        the angle exactly."""
        self.game.send_game_command(f"warp {x} {y}")
        self._step()
        self._face(angle + lead)
        state, previous = self._face(angle)
        x_, y_, z_, a_ = (float(v) for v in state.game_variables)
        shot = {"frame": state.screen_buffer.copy(), "depth": state.depth_buffer.copy(), "previous": previous,
                "things": np.isin(state.labels_buffer, [label.value for label in state.labels]),
                "tic": int(state.tic), "x": x_, "y": y_, "z": z_, "angle": a_}
        a = math.radians(a_ + 90.0)
        self.game.send_game_command(f"warp {x_ + step * math.cos(a):.1f} {y_ + step * math.sin(a):.1f}")
        self._step()
        shot["elsewhere"] = self._step().screen_buffer.copy()
        return shot

    def close(self) -> None:
        self.game.close()
