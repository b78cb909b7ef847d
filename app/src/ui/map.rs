//! The reusable map: OpenStreetMap tiles through Leaflet (tile URL and attribution from
//! configuration), markers, click-to-pick a point, fit to bounds. The server renders an
//! empty container; the browser creates the map. When tiles cannot load (offline, or a
//! blocked tile server) the markers still show and a notice says why the map is blank.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::i18n::{Msg, format_integer, use_i18n};
use platform::config::PublicConfig;
use platform::error::AppError;
use platform::geo::LatLon;
use platform::geo::{MapCluster, Viewport};
use platform::sketch::{Sketch, SketchForm, geojson_of};

/// Where the map opens when it has nothing to fit: the middle of Krasnodar Krai.
pub const KRAI_CENTRE: LatLon = LatLon {
    lat: 45.2,
    lon: 39.3,
};
/// The zoom that shows the whole Krai on a phone.
pub const KRAI_ZOOM: f64 = 7.0;

/// One marker on the map.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MapMarker {
    /// Where.
    pub at: LatLon,
    /// Shown as the marker's popup and accessible name.
    pub title: String,
    /// A page the popup links to.
    pub href: Option<String>,
    /// How many objects the marker stands for; above 1 it is drawn as a numbered cluster
    /// that zooms in when clicked.
    pub count: u64,
}

impl MapMarker {
    /// A single marker.
    pub fn new(at: LatLon, title: impl Into<String>) -> Self {
        Self {
            at,
            title: title.into(),
            href: None,
            count: 1,
        }
    }
}

/// A shape on the map: an outline (a construction's footprint), a shaded cell of a
/// density layer, or a line (a proposed route).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MapShape {
    /// The vertices, in order, the first not repeated.
    pub ring: Vec<LatLon>,
    /// Shown as the shape's popup.
    pub title: String,
    /// For a density cell, how dense it is, 0 to 1 (drawn as fill opacity); `None` for
    /// an outline or a line.
    pub shade: Option<f64>,
    /// Whether the last vertex joins the first (an area) or not (a line).
    pub closed: bool,
}

impl MapShape {
    /// An outline through `ring`.
    pub fn outline(ring: Vec<LatLon>, title: impl Into<String>) -> Self {
        Self {
            ring,
            title: title.into(),
            shade: None,
            closed: true,
        }
    }

    /// A line through `vertices`.
    pub fn line(vertices: Vec<LatLon>, title: impl Into<String>) -> Self {
        Self {
            ring: vertices,
            title: title.into(),
            shade: None,
            closed: false,
        }
    }

    /// A density cell between `south_west` and `north_east`.
    pub fn cell(south_west: LatLon, north_east: LatLon, shade: f64, title: String) -> Self {
        Self {
            ring: vec![
                south_west,
                LatLon {
                    lat: south_west.lat,
                    lon: north_east.lon,
                },
                north_east,
                LatLon {
                    lat: north_east.lat,
                    lon: south_west.lon,
                },
            ],
            title,
            shade: Some(shade.clamp(0.0, 1.0)),
            closed: true,
        }
    }
}

/// What a sketch draws on the map: markers for points, a shape for a line or an area.
pub fn sketch_layers(sketch: &Sketch, title: &str) -> (Vec<MapMarker>, Vec<MapShape>) {
    let vertices = sketch.vertices().to_vec();
    match sketch.form() {
        SketchForm::Points => (
            vertices
                .into_iter()
                .map(|at| MapMarker::new(at, title))
                .collect(),
            Vec::new(),
        ),
        SketchForm::Line => (Vec::new(), vec![MapShape::line(vertices, title)]),
        SketchForm::Area => (Vec::new(), vec![MapShape::outline(vertices, title)]),
    }
}

/// A drawing on the map under way: what it draws and the vertices clicked so far. The
/// map adds a vertex at every click (or tap); the form around it sends [`Self::geojson`].
#[derive(Debug, Clone, Copy)]
pub struct SketchPad {
    /// Stops, a route or a zone.
    pub form: RwSignal<SketchForm>,
    /// The vertices, in the order drawn.
    pub vertices: RwSignal<Vec<LatLon>>,
}

impl SketchPad {
    /// An empty drawing of a route.
    pub fn new() -> Self {
        Self {
            form: RwSignal::new(SketchForm::Line),
            vertices: RwSignal::new(Vec::new()),
        }
    }

    /// The drawing as GeoJSON, as drawn (the server checks it); empty before the first
    /// vertex.
    pub fn geojson(&self) -> String {
        let vertices = self.vertices.get();
        if vertices.is_empty() {
            String::new()
        } else {
            geojson_of(self.form.get(), &vertices)
        }
    }
}

impl Default for SketchPad {
    fn default() -> Self {
        Self::new()
    }
}

/// How a clustered map names and links its markers.
#[derive(Clone, Copy)]
pub struct ClusterLabels {
    /// The title of a marker that stands for one row, from its id.
    pub single: fn(u64) -> String,
    /// The page a single row's marker links to.
    pub href: fn(u64) -> String,
    /// What a cluster counts ("Проблемы", "Объекты строительства").
    pub noun: Msg,
}

/// The markers of a clustered map that loads its clusters for the viewport it reports:
/// `load` fetches the clusters of `query` in a viewport, again whenever either changes.
pub fn viewport_cluster_markers<Q, Fut>(
    viewport: RwSignal<Option<Viewport>>,
    query: Signal<Q>,
    load: impl Fn(Q, Viewport) -> Fut + 'static,
    labels: ClusterLabels,
) -> Signal<Vec<MapMarker>>
where
    Q: Clone + Send + Sync + 'static,
    Fut: std::future::Future<Output = Result<Vec<MapCluster>, AppError>> + 'static,
{
    let i18n = use_i18n();
    let clusters = LocalResource::new(move || {
        let pending = viewport.get().map(|view| load(query.get(), view));
        async move {
            match pending {
                Some(pending) => pending.await.unwrap_or_default(),
                None => Vec::new(),
            }
        }
    });
    Signal::derive(move || {
        let locale = i18n.locale();
        clusters
            .get()
            .unwrap_or_default()
            .into_iter()
            .map(|cluster| MapMarker {
                at: cluster.point,
                title: match cluster.single {
                    Some(id) => (labels.single)(id),
                    None => format!(
                        "{} · {}",
                        format_integer(locale, cluster.count as i64),
                        i18n.t(labels.noun)
                    ),
                },
                href: cluster.single.map(labels.href),
                count: cluster.count,
            })
            .collect()
    })
}

/// A map with `markers`; with `pick`, a click (or tap) on the map sets the point.
#[component]
pub fn MapView(
    /// The markers to show (the map fits them when there are any).
    #[prop(into)]
    markers: Signal<Vec<MapMarker>>,
    /// Areas to draw under the markers (the map fits them too).
    #[prop(optional, into)]
    shapes: Option<Signal<Vec<MapShape>>>,
    /// When given, clicking the map (or dragging the marker) picks a point into this signal.
    #[prop(optional)]
    pick: Option<RwSignal<Option<LatLon>>>,
    /// When given, every click (or tap) on the map adds a vertex to this drawing.
    #[prop(optional)]
    draw: Option<SketchPad>,
    /// When given, the map reports its viewport here after every move and no longer fits
    /// the markers (they are loaded for the viewport instead).
    #[prop(optional)]
    viewport: Option<RwSignal<Option<Viewport>>>,
    /// The map's accessible name.
    #[prop(into)]
    label: Signal<String>,
) -> impl IntoView {
    let i18n = use_i18n();
    let config = Resource::new(|| (), |_| platform::config::get_public_config());
    let tiles_failed = RwSignal::new(false);
    let map_failed = RwSignal::new(false);
    let shapes = shapes.unwrap_or_else(|| Signal::derive(Vec::new));
    view! {
        <div class="map-wrap">
            <Suspense fallback=|| view! { <div class="map" aria-hidden="true"></div> }>
                {move || Suspend::new(async move {
                    let config = config.await.unwrap_or_default();
                    view! { <MapCanvas config markers shapes pick draw viewport label tiles_failed map_failed /> }
                })}
            </Suspense>
            <Show when=move || tiles_failed.get() || map_failed.get()>
                <p class="map-notice" role="status" data-test="map-notice">
                    {move || {
                        let notice = if map_failed.get() { Msg::MapUnavailable } else { Msg::MapTilesUnavailable };
                        i18n.t(notice)
                    }}
                </p>
            </Show>
        </div>
    }
}

#[component]
fn MapCanvas(
    config: PublicConfig,
    markers: Signal<Vec<MapMarker>>,
    shapes: Signal<Vec<MapShape>>,
    pick: Option<RwSignal<Option<LatLon>>>,
    draw: Option<SketchPad>,
    viewport: Option<RwSignal<Option<Viewport>>>,
    label: Signal<String>,
    tiles_failed: RwSignal<bool>,
    map_failed: RwSignal<bool>,
) -> impl IntoView {
    let node = NodeRef::<leptos::html::Div>::new();
    #[cfg(feature = "hydrate")]
    node.on_load(move |element| {
        let layers = browser::Layers {
            markers,
            shapes,
            pick,
            draw,
            viewport,
        };
        // The map's effects belong to this component, though they start after Leaflet
        // has loaded: they end with it.
        let owner = Owner::current();
        leptos::task::spawn_local(async move {
            let loaded = browser::leaflet_loaded().await;
            if !element.is_connected() {
                return;
            }
            if !loaded {
                map_failed.set(true);
                return;
            }
            let mount = move || browser::mount(element, config, layers, tiles_failed);
            match owner {
                Some(owner) => owner.with(mount),
                None => mount(),
            }
        });
    });
    #[cfg(not(feature = "hydrate"))]
    let _ = (
        config,
        markers,
        shapes,
        pick,
        draw,
        viewport,
        tiles_failed,
        map_failed,
    );
    view! {
        <div class="map" node_ref=node role="region" aria-label=move || label.get() data-test="map"></div>
    }
}

#[cfg(feature = "hydrate")]
mod browser {
    use leaflet::{
        CircleMarker, DivIconOptions, Icon, LatLng, LatLngBounds, LayerGroup, Map, MapOptions,
        Marker, MarkerOptions, Polygon, Polyline, PolylineOptions, TileLayer, TileLayerOptions,
    };
    use leptos::prelude::*;
    use wasm_bindgen::JsCast;
    use wasm_bindgen::prelude::*;

    use super::{KRAI_CENTRE, KRAI_ZOOM, MapMarker, MapShape, SketchPad};
    use crate::ui::escape_html;
    use platform::config::PublicConfig;
    use platform::geo::LatLon;
    use platform::geo::Viewport;
    use platform::sketch::SketchForm;

    /// Leaflet's script, as the shell's service worker and the server know it.
    const LEAFLET_SCRIPT: &str = "/vendor/leaflet/leaflet.js";

    /// Whether Leaflet is loaded (the global `L`), loading its script on the first call: a
    /// page without a map (sign-in, the account, forms, the management area) does not
    /// download it. Every map waits for the same load.
    pub async fn leaflet_loaded() -> bool {
        thread_local! {
            static LOADING: std::cell::RefCell<Option<js_sys::Promise>> =
                const { std::cell::RefCell::new(None) };
        }
        let loading = LOADING.with(|loading| {
            loading
                .borrow_mut()
                .get_or_insert_with(load_leaflet)
                .clone()
        });
        let loaded = wasm_bindgen_futures::JsFuture::from(loading).await.is_ok();
        if !loaded {
            // A later map tries again (the connection may be back).
            LOADING.with(|loading| loading.borrow_mut().take());
        }
        loaded
    }

    fn load_leaflet() -> js_sys::Promise {
        js_sys::Promise::new(&mut |resolve, reject| {
            let present =
                js_sys::Reflect::has(&js_sys::global(), &JsValue::from_str("L")).unwrap_or(false);
            if present {
                let _ = resolve.call0(&JsValue::UNDEFINED);
                return;
            }
            let script = web_sys::window()
                .and_then(|window| window.document())
                .and_then(|document| {
                    let script = document.create_element("script").ok()?;
                    let script: web_sys::HtmlScriptElement = script.dyn_into().ok()?;
                    script.set_src(LEAFLET_SCRIPT);
                    script.set_onload(Some(resolve.unchecked_ref()));
                    script.set_onerror(Some(reject.unchecked_ref()));
                    document.head()?.append_child(&script).ok()?;
                    Some(())
                });
            if script.is_none() {
                let _ = reject.call0(&JsValue::UNDEFINED);
            }
        })
    }

    fn lat_lng(point: LatLon) -> LatLng {
        LatLng::new(point.lat, point.lon)
    }

    /// `L.divIcon(options)`. leaflet-rs 0.5 binds `DivIcon::new` to `new L.Icon`, which
    /// draws an image instead of the HTML, so the factory is called by name.
    fn div_icon(options: &DivIconOptions) -> Option<Icon> {
        let leaflet = js_sys::Reflect::get(&js_sys::global(), &JsValue::from_str("L")).ok()?;
        let factory = js_sys::Reflect::get(&leaflet, &JsValue::from_str("divIcon")).ok()?;
        let factory: js_sys::Function = factory.dyn_into().ok()?;
        factory
            .call1(&leaflet, options)
            .ok()
            .map(JsCast::unchecked_into)
    }

    /// The marker of `item`; an `interactive` one opens its popup (or, for a cluster,
    /// zooms in) when tapped, one under a drawing lets the tap through to the map.
    fn marker(item: &MapMarker, map: &Map, interactive: bool) -> Marker {
        let options = MarkerOptions::new();
        options.set_title(item.title.clone());
        options.set_alt(item.title.clone());
        if !interactive {
            options.set_interactive(false);
            return Marker::new_with_options(&lat_lng(item.at), &options);
        }
        if item.count > 1 {
            let icon_options = DivIconOptions::new();
            icon_options.set_html(format!("<span>{}</span>", item.count));
            icon_options.set_class_name("map-cluster".to_string());
            icon_options.set_icon_size(leaflet::Point::new(40.0, 40.0));
            if let Some(icon) = div_icon(&icon_options) {
                options.set_icon(icon);
            }
        }
        let marker = Marker::new_with_options(&lat_lng(item.at), &options);
        if item.count > 1 {
            // A cluster opens up: zoom in around it.
            let map = map.clone();
            let at = item.at;
            let on_click = Closure::<dyn Fn(JsValue)>::new(move |_| {
                map.set_view(&lat_lng(at), (map.get_zoom() + 2.0).min(19.0));
            });
            marker.on("click", on_click.as_ref().unchecked_ref());
            on_click.forget();
            return marker;
        }
        let title = escape_html(&item.title);
        let content = match &item.href {
            Some(href) => format!("<a href=\"{}\">{title}</a>", escape_html(href)),
            None => title,
        };
        // leaflet-rs 0.5 binds `bind_tooltip_with_content` to a JS method that does not
        // exist; a popup also suits touch screens better than a hover tooltip.
        marker.bind_popup_with_options(&JsValue::from_str(&content), &JsValue::UNDEFINED);
        marker
    }

    fn lat_lngs(vertices: &[LatLon]) -> js_sys::Array {
        vertices
            .iter()
            .map(|vertex| JsValue::from(lat_lng(*vertex)))
            .collect()
    }

    /// A shape as its Leaflet layer: an `interactive` one with its title as the popup,
    /// one under a drawing lets taps through to the map.
    fn shape_on_map(shape: &MapShape, interactive: bool) -> leaflet::Layer {
        let layer: leaflet::Layer = if shape.closed {
            polygon(shape, interactive).unchecked_into()
        } else {
            let options = PolylineOptions::new();
            options.set_color("#1565c0".to_string());
            options.set_weight(5.0);
            options.set_interactive(interactive);
            Polyline::new_with_options(&lat_lngs(&shape.ring), &options).unchecked_into()
        };
        if !interactive {
            return layer;
        }
        layer.bind_popup_with_options(
            &JsValue::from_str(&escape_html(&shape.title)),
            &JsValue::UNDEFINED,
        );
        layer
    }

    fn polygon(shape: &MapShape, interactive: bool) -> Polygon {
        let ring = lat_lngs(&shape.ring);
        let options = PolylineOptions::new();
        options.set_interactive(interactive);
        match shape.shade {
            // Density cells: no outline, so neighbouring cells read as one surface.
            Some(shade) => {
                options.set_stroke(false);
                options.set_fill_color("#c62828".to_string());
                options.set_fill_opacity(0.12 + 0.6 * shade);
            }
            None => {
                options.set_color("#1565c0".to_string());
                options.set_weight(3.0);
                options.set_fill_opacity(0.15);
            }
        }
        Polygon::new_with_options(&ring, &options)
    }

    /// Draws the drawing under way: its vertices as dots joined as its form says.
    fn draw_sketch(layer: &LayerGroup, form: SketchForm, vertices: &[LatLon]) {
        layer.clear_layers();
        let options = PolylineOptions::new();
        options.set_color("#c62828".to_string());
        options.set_weight(4.0);
        // A tap on the drawing adds a vertex there, like a tap beside it.
        options.set_interactive(false);
        match form {
            SketchForm::Line if vertices.len() > 1 => {
                Polyline::new_with_options(&lat_lngs(vertices), &options).add_to_layer_group(layer);
            }
            SketchForm::Area if vertices.len() > 2 => {
                options.set_fill_opacity(0.2);
                Polygon::new_with_options(&lat_lngs(vertices), &options).add_to_layer_group(layer);
            }
            _ => {}
        }
        let dot_options = PolylineOptions::new();
        dot_options.set_color("#c62828".to_string());
        dot_options.set_interactive(false);
        let dot_options = JsValue::from(dot_options);
        for vertex in vertices {
            let dot = CircleMarker::new_with_options(&lat_lng(*vertex), &dot_options);
            dot.set_radius(if form == SketchForm::Points { 8.0 } else { 5.0 });
            dot.add_to_layer_group(layer);
        }
    }

    /// What one map shows and reports: the caller's signals.
    pub struct Layers {
        pub markers: Signal<Vec<MapMarker>>,
        pub shapes: Signal<Vec<MapShape>>,
        pub pick: Option<RwSignal<Option<LatLon>>>,
        pub draw: Option<SketchPad>,
        pub viewport: Option<RwSignal<Option<Viewport>>>,
    }

    fn current_viewport(map: &Map) -> Option<Viewport> {
        let bounds = map.get_bounds();
        let (south_west, north_east) = (bounds.get_south_west(), bounds.get_north_east());
        Some(Viewport {
            south_west: LatLon::new(south_west.lat().max(-90.0), south_west.lng().max(-180.0))?,
            north_east: LatLon::new(north_east.lat().min(90.0), north_east.lng().min(180.0))?,
            zoom: map.get_zoom().clamp(0.0, 20.0) as u8,
        })
    }

    pub fn mount(
        element: web_sys::HtmlDivElement,
        config: PublicConfig,
        layers: Layers,
        tiles_failed: RwSignal<bool>,
    ) {
        let Layers {
            markers,
            shapes,
            pick,
            draw,
            viewport,
        } = layers;
        let options = MapOptions::new();
        options.set_center(lat_lng(KRAI_CENTRE));
        options.set_zoom(KRAI_ZOOM);
        let Ok(map) = Map::new_with_element(element.unchecked_ref(), &options) else {
            return;
        };
        let tile_options = TileLayerOptions::new();
        tile_options.set_attribution(config.tile_attribution);
        tile_options.set_max_zoom(19.0);
        let tiles = TileLayer::new_options(&config.tile_url, &tile_options);
        let on_tile_error = Closure::<dyn Fn(JsValue)>::new(move |_| tiles_failed.set(true));
        tiles.on("tileerror", on_tile_error.as_ref().unchecked_ref());
        on_tile_error.forget();
        tiles.add_to(&map);

        let shape_layer = LayerGroup::new();
        shape_layer.add_to(&map);
        let marker_layer = LayerGroup::new();
        marker_layer.add_to(&map);
        let fit_map = map.clone();
        let fits = viewport.is_none();
        let interactive = draw.is_none();
        Effect::new(move |_| {
            let items = markers.get();
            let areas = shapes.get();
            shape_layer.clear_layers();
            for area in &areas {
                shape_on_map(area, interactive).add_to_layer_group(&shape_layer);
            }
            marker_layer.clear_layers();
            for item in &items {
                marker(item, &fit_map, interactive).add_to_layer_group(&marker_layer);
            }
            if !fits {
                return;
            }
            let mut points = items
                .iter()
                .map(|item| item.at)
                .chain(areas.iter().flat_map(|area| area.ring.iter().copied()));
            if let Some(first) = points.next() {
                let bounds = LatLngBounds::new(&lat_lng(first), &lat_lng(first));
                let mut several = false;
                for point in points {
                    bounds.extend(&lat_lng(point));
                    several = true;
                }
                if several {
                    fit_map.fit_bounds(&bounds);
                } else {
                    fit_map.set_view(&lat_lng(first), 13.0);
                }
            }
        });

        // After a client-side navigation the container may not be laid out yet when the
        // map is created: measure again once it is, then report the real viewport.
        let sized_map = map.clone();
        set_timeout(
            move || {
                sized_map.invalidate_size(false);
                if let Some(viewport) = viewport {
                    viewport.set(current_viewport(&sized_map));
                }
            },
            std::time::Duration::from_millis(0),
        );
        if let Some(viewport) = viewport {
            let moved_map = map.clone();
            let on_move = Closure::<dyn Fn(JsValue)>::new(move |_| {
                viewport.set(current_viewport(&moved_map));
            });
            map.on("moveend", on_move.as_ref().unchecked_ref());
            on_move.forget();
        }

        if let Some(draw) = draw {
            let sketch_layer = LayerGroup::new();
            sketch_layer.add_to(&map);
            let on_click =
                Closure::<dyn Fn(leaflet::MouseEvent)>::new(move |event: leaflet::MouseEvent| {
                    let at = event.lat_lng();
                    if let Some(point) = LatLon::new(at.lat(), at.lng()) {
                        draw.vertices.update(|vertices| vertices.push(point));
                    }
                });
            map.on("click", on_click.as_ref().unchecked_ref());
            on_click.forget();
            Effect::new(move |_| {
                draw_sketch(&sketch_layer, draw.form.get(), &draw.vertices.get());
            });
        }

        if let Some(pick) = pick {
            let picked_layer = LayerGroup::new();
            picked_layer.add_to(&map);
            let view_map = map.clone();
            let on_click =
                Closure::<dyn Fn(leaflet::MouseEvent)>::new(move |event: leaflet::MouseEvent| {
                    let at = event.lat_lng();
                    if let Some(point) = LatLon::new(at.lat(), at.lng()) {
                        pick.set(Some(point));
                    }
                });
            map.on("click", on_click.as_ref().unchecked_ref());
            on_click.forget();
            Effect::new(move |_| {
                picked_layer.clear_layers();
                if let Some(point) = pick.get() {
                    let options = MarkerOptions::new();
                    options.set_draggable(true);
                    let picked = Marker::new_with_options(&lat_lng(point), &options);
                    let dragged = picked.clone();
                    let on_drag = Closure::<dyn Fn(JsValue)>::new(move |_| {
                        let at = dragged.get_lat_lng();
                        if let Some(point) = LatLon::new(at.lat(), at.lng()) {
                            pick.set(Some(point));
                        }
                    });
                    picked.on("dragend", on_drag.as_ref().unchecked_ref());
                    on_drag.forget();
                    picked.add_to_layer_group(&picked_layer);
                    // A point set from outside (the phone's position) must be in view.
                    if !view_map.get_bounds().contains(&lat_lng(point)) {
                        view_map.set_view(&lat_lng(point), view_map.get_zoom().max(15.0));
                    }
                }
            });
        }
    }
}

/// The "list / map" tabs of a list that can also be drawn on the map: both link to `path`
/// with the same `filters` (a query string from the first page, `?…` or empty), the map's
/// with `view=map` added.
#[component]
pub fn ListMapTabs(
    /// The list's path.
    path: &'static str,
    /// The filters' query string.
    #[prop(into)]
    filters: Signal<String>,
    /// Whether the map is shown now.
    #[prop(into)]
    map_view: Signal<bool>,
    /// What the tabs show, for their accessible name.
    label: Msg,
) -> impl IntoView {
    let i18n = use_i18n();
    let list_href = move || format!("{path}{}", filters.get());
    let map_href = move || with_view(path, &filters.get(), true);
    view! {
        <nav class="tabs" aria-label=move || i18n.t(label)>
            // Plain links: the router's <A> marks both tabs current, since they share a path.
            <a href=list_href aria-current=move || (!map_view.get()).then_some("page") data-test="view-list">{move || i18n.t(Msg::ViewList)}</a>
            <a href=map_href aria-current=move || map_view.get().then_some("page") data-test="view-map">{move || i18n.t(Msg::ViewMap)}</a>
        </nav>
    }
}

/// The link to `path` with `filters` (a query string, `?…` or empty), on the map when
/// `map_view`: what a list's other links (tabs, filters) use to keep the view.
pub fn with_view(path: &str, filters: &str, map_view: bool) -> String {
    match (filters, map_view) {
        (filters, false) => format!("{path}{filters}"),
        ("", true) => format!("{path}?view=map"),
        (filters, true) => format!("{path}{filters}&view=map"),
    }
}

/// The XLSX and PDF downloads of a list: `{stem}.xlsx` and `{stem}.pdf` with the list's
/// `filters` (a query string, `?…` or empty).
#[component]
pub fn ExportLinks(
    /// The export's path without its extension (`/constructions/export`).
    stem: &'static str,
    /// The filters' query string.
    #[prop(into)]
    filters: Signal<String>,
) -> impl IntoView {
    let i18n = use_i18n();
    let href = move |extension: &str| format!("{stem}.{extension}{}", filters.get());
    view! {
        <a class="button secondary" href=move || href("xlsx") data-test="export-xlsx" download>{move || i18n.t(Msg::ExportXlsx)}</a>
        <a class="button secondary" href=move || href("pdf") data-test="export-pdf" download>{move || i18n.t(Msg::ExportPdf)}</a>
    }
}
