"""Boundary geometry: read once, dissolved to one feature per code; the code join check."""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

import geopandas as gpd
import pandas as pd
from shapely.geometry.polygon import orient

from analytics import config
from analytics.store.db import Store, load_query

UTM_50S = 32750  # metric CRS for Samarinda, for areas


def read_boundaries(path: Path, key: str) -> gpd.GeoDataFrame:
    """Polygons from a GeoJSON file, dissolved so each code is one (multi)polygon feature.

    Plotly draws only the first feature that carries an id, so multi-part areas must be merged.
    Rings are turned clockwise: plotly's d3-geo reads an anticlockwise (RFC 7946) ring as
    "the whole globe except this area" and floods the map.
    """
    gdf = gpd.read_file(path)
    gdf = gdf.dissolve(by=key, as_index=False, aggfunc="first")
    gdf["geometry"] = gdf.geometry.map(_clockwise)
    gdf = gdf.rename(columns={key: "kode"})
    points = gdf.geometry.representative_point()
    gdf["lon"], gdf["lat"] = points.x, points.y
    gdf[["minx", "miny", "maxx", "maxy"]] = gdf.geometry.bounds.to_numpy()
    gdf["area"] = gdf.geometry.to_crs(UTM_50S).area
    return gdf


def _clockwise(geom: object) -> object:
    if geom.geom_type == "MultiPolygon":
        return type(geom)([orient(part, sign=-1.0) for part in geom.geoms])
    return orient(geom, sign=-1.0)


@lru_cache(maxsize=2)
def boundaries(level: str) -> gpd.GeoDataFrame:
    """The shipped boundaries for 'kecamatan' or 'kelurahan' (cached; do not modify)."""
    return read_boundaries(config.geo_dir() / f"samarinda_{level}.geojson", f"kode_{level}")


@lru_cache(maxsize=2)
def geojson(level: str) -> dict:
    """The dissolved boundaries as a FeatureCollection whose only property is the code."""
    gdf = boundaries(level)[["kode", "geometry"]]
    data = json.loads(gdf.to_json(drop_id=True))
    for feature in data["features"]:
        feature["id"] = feature["properties"]["kode"]
    return data


def subset(collection: dict, codes: set[str]) -> dict:
    """Only the features whose code is in codes."""
    return {"type": "FeatureCollection", "features": [f for f in collection["features"] if f["id"] in codes]}


def unmatched_codes(store: Store) -> pd.DataFrame:
    """area_stats codes that join no polygon (kelurahan, or its kecamatan), with rows and people."""
    kel = pd.DataFrame({"kode": boundaries("kelurahan")["kode"]})
    kec = pd.DataFrame({"kode": boundaries("kecamatan")["kode"]})
    with store.cursor() as cur:
        cur.register("polygon_kelurahan", kel)
        cur.register("polygon_kecamatan", kec)
        return cur.execute(load_query("map_unmatched_codes")).df()


def selected_code(event: object) -> str | None:
    """The area code clicked on a map from st.plotly_chart's selection state, if any."""
    try:
        points = event["selection"]["points"]  # type: ignore[index]
    except (KeyError, TypeError):
        return None
    for point in points:
        code = point.get("location")
        if code:
            return str(code)
    return None
