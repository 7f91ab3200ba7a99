//! The `tfplugin6.Provider` gRPC service: hands every request to the engine and its answer back,
//! converted by `fromproto` and `toproto`, and nothing more. Every RPC we do not offer answers
//! `Unimplemented` (generated stubs).
//!
//! The engine is made on the first request, not before the handshake: making it builds every
//! schema, which touches much of the binary, and Terraform sends nothing before the handshake
//! (terraform-plugin-framework likewise builds its schemas on the first request).

use std::sync::{Mutex, OnceLock};

use tonic::{Request, Response, Status};

use super::fromproto;
use super::proto::tfplugin6 as pb;
use super::toproto::{self, diagnostics, state_parts};
use crate::engine::provider::Provider;
use crate::engine::server::{Engine, MoveSource};

pub struct ProviderService<P: Provider> {
    /// The provider, until the engine is made from it.
    provider: Mutex<Option<P>>,
    engine: OnceLock<Engine<P>>,
}

impl<P: Provider> ProviderService<P> {
    pub fn new(provider: P) -> Self {
        ProviderService {
            provider: Mutex::new(Some(provider)),
            engine: OnceLock::new(),
        }
    }

    fn engine(&self) -> &Engine<P> {
        self.engine.get_or_init(|| {
            let provider = self
                .provider
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .take()
                .expect("the provider is taken once, by the one initialisation of the engine");
            Engine::new(provider)
        })
    }

    /// The identity that goes with a state of `type_name` (Terraform >= 1.12; older versions
    /// ignore the field).
    fn identity(&self, type_name: &str, state: Option<&[u8]>) -> Option<pb::ResourceIdentityData> {
        let data = self.engine().identity_of(type_name, state?)?;
        Some(toproto::identity_data(data))
    }
}

#[tonic::async_trait]
impl<P: Provider> pb::provider_server::Provider for ProviderService<P> {
    async fn get_metadata(
        &self,
        _: Request<pb::get_metadata::Request>,
    ) -> Result<Response<pb::get_metadata::Response>, Status> {
        let s = self.engine().schemas();
        Ok(Response::new(pb::get_metadata::Response {
            server_capabilities: Some(toproto::server_capabilities()),
            resources: s
                .resources
                .iter()
                .map(|(n, _)| pb::get_metadata::ResourceMetadata {
                    type_name: n.to_string(),
                })
                .collect(),
            data_sources: s
                .data_sources
                .iter()
                .map(|(n, _)| pb::get_metadata::DataSourceMetadata {
                    type_name: n.to_string(),
                })
                .collect(),
            ephemeral_resources: s
                .ephemeral_resources
                .iter()
                .map(|(n, _)| pb::get_metadata::EphemeralMetadata {
                    type_name: n.to_string(),
                })
                .collect(),
            list_resources: s
                .list_resources
                .iter()
                .map(|(n, _)| pb::get_metadata::ListResourceMetadata {
                    type_name: n.to_string(),
                })
                .collect(),
            ..Default::default()
        }))
    }

    async fn get_provider_schema(
        &self,
        _: Request<pb::get_provider_schema::Request>,
    ) -> Result<Response<pb::get_provider_schema::Response>, Status> {
        crate::trace!("GetProviderSchema");
        let s = self.engine().schemas();
        Ok(Response::new(pb::get_provider_schema::Response {
            provider: Some(toproto::schema(s.provider)),
            resource_schemas: s
                .resources
                .iter()
                .map(|(n, sc)| (n.to_string(), toproto::schema(sc)))
                .collect(),
            data_source_schemas: s
                .data_sources
                .iter()
                .map(|(n, sc)| (n.to_string(), toproto::schema(sc)))
                .collect(),
            ephemeral_resource_schemas: s
                .ephemeral_resources
                .iter()
                .map(|(n, sc)| (n.to_string(), toproto::schema(sc)))
                .collect(),
            list_resource_schemas: s
                .list_resources
                .iter()
                .map(|(n, sc)| (n.to_string(), toproto::schema(sc)))
                .collect(),
            server_capabilities: Some(toproto::server_capabilities()),
            ..Default::default()
        }))
    }

    async fn validate_provider_config(
        &self,
        req: Request<pb::validate_provider_config::Request>,
    ) -> Result<Response<pb::validate_provider_config::Response>, Status> {
        let d = self
            .engine()
            .validate_provider_config(&fromproto::dynamic_value(req.into_inner().config));
        Ok(Response::new(pb::validate_provider_config::Response {
            diagnostics: diagnostics(d),
        }))
    }

    async fn configure_provider(
        &self,
        req: Request<pb::configure_provider::Request>,
    ) -> Result<Response<pb::configure_provider::Response>, Status> {
        let req = req.into_inner();
        crate::debug!(
            "ConfigureProvider",
            "terraform_version" = req.terraform_version
        );
        self.engine().set_terraform_version(&req.terraform_version);
        let d = self
            .engine()
            .configure_provider(&fromproto::dynamic_value(req.config))
            .await;
        Ok(Response::new(pb::configure_provider::Response {
            diagnostics: diagnostics(d),
        }))
    }

    async fn validate_resource_config(
        &self,
        req: Request<pb::validate_resource_config::Request>,
    ) -> Result<Response<pb::validate_resource_config::Response>, Status> {
        let req = req.into_inner();
        let write_only_allowed = req
            .client_capabilities
            .is_some_and(|c| c.write_only_attributes_allowed);
        let d = self.engine().validate_resource_config_with(
            &req.type_name,
            &fromproto::dynamic_value(req.config),
            write_only_allowed,
        );
        Ok(Response::new(pb::validate_resource_config::Response {
            diagnostics: diagnostics(d),
        }))
    }

    async fn validate_data_resource_config(
        &self,
        req: Request<pb::validate_data_resource_config::Request>,
    ) -> Result<Response<pb::validate_data_resource_config::Response>, Status> {
        let req = req.into_inner();
        let d = self
            .engine()
            .validate_data_source_config(&req.type_name, &fromproto::dynamic_value(req.config));
        Ok(Response::new(pb::validate_data_resource_config::Response {
            diagnostics: diagnostics(d),
        }))
    }

    async fn upgrade_resource_state(
        &self,
        req: Request<pb::upgrade_resource_state::Request>,
    ) -> Result<Response<pb::upgrade_resource_state::Response>, Status> {
        let req = req.into_inner();
        let raw = fromproto::raw_state_json(req.raw_state);
        let (state, _, diagnostics) = state_parts(self.engine().upgrade_resource_state(
            &req.type_name,
            req.version,
            &raw,
        ));
        Ok(Response::new(pb::upgrade_resource_state::Response {
            upgraded_state: state,
            diagnostics,
        }))
    }

    async fn move_resource_state(
        &self,
        req: Request<pb::move_resource_state::Request>,
    ) -> Result<Response<pb::move_resource_state::Response>, Status> {
        let req = req.into_inner();
        crate::debug!(
            "MoveResourceState",
            "from" = req.source_type_name,
            "to" = req.target_type_name
        );
        let raw = fromproto::raw_state_json(req.source_state);
        let source = MoveSource {
            provider: &req.source_provider_address,
            type_name: &req.source_type_name,
            schema_version: req.source_schema_version,
            raw_json: &raw,
        };
        let r = self
            .engine()
            .move_resource_state(source, &req.target_type_name);
        let target_identity = self.identity(&req.target_type_name, r.state.as_deref());
        let (target_state, target_private, diagnostics) = state_parts(r);
        Ok(Response::new(pb::move_resource_state::Response {
            target_state,
            diagnostics,
            target_private,
            target_identity,
        }))
    }

    async fn read_resource(
        &self,
        req: Request<pb::read_resource::Request>,
    ) -> Result<Response<pb::read_resource::Response>, Status> {
        let req = req.into_inner();
        crate::debug!("ReadResource", "type" = req.type_name);
        let r = self
            .engine()
            .read_resource(
                &req.type_name,
                &fromproto::dynamic_value(req.current_state),
                &req.private,
            )
            .await;
        let new_identity = self.identity(&req.type_name, r.state.as_deref());
        let (new_state, private, diagnostics) = state_parts(r);
        Ok(Response::new(pb::read_resource::Response {
            new_state,
            private,
            diagnostics,
            new_identity,
            ..Default::default()
        }))
    }

    async fn plan_resource_change(
        &self,
        req: Request<pb::plan_resource_change::Request>,
    ) -> Result<Response<pb::plan_resource_change::Response>, Status> {
        let req = req.into_inner();
        crate::debug!("PlanResourceChange", "type" = req.type_name);
        let engine = self.engine();
        let prior = fromproto::dynamic_value(req.prior_state);
        let planned = engine.plan_resource_change(
            &req.type_name,
            &prior,
            &fromproto::dynamic_value(req.proposed_new_state),
            &fromproto::dynamic_value(req.config),
            &req.prior_private,
        );
        let r = engine.check_planned(&req.type_name, &prior, planned).await;
        let planned_identity = self.identity(&req.type_name, Some(&r.planned_state));
        Ok(Response::new(pb::plan_resource_change::Response {
            planned_identity,
            planned_state: toproto::dynamic_value(r.planned_state),
            requires_replace: r
                .requires_replace
                .iter()
                .map(toproto::attribute_path)
                .collect(),
            planned_private: r.planned_private,
            diagnostics: diagnostics(r.diagnostics),
            ..Default::default()
        }))
    }

    async fn apply_resource_change(
        &self,
        req: Request<pb::apply_resource_change::Request>,
    ) -> Result<Response<pb::apply_resource_change::Response>, Status> {
        let req = req.into_inner();
        crate::debug!("ApplyResourceChange", "type" = req.type_name);
        let r = self
            .engine()
            .apply_resource_change_with_config(
                &req.type_name,
                &fromproto::dynamic_value(req.prior_state),
                &fromproto::dynamic_value(req.planned_state),
                &fromproto::dynamic_value(req.config),
                &req.planned_private,
            )
            .await;
        let new_identity = self.identity(&req.type_name, r.state.as_deref());
        let (new_state, private, diagnostics) = state_parts(r);
        Ok(Response::new(pb::apply_resource_change::Response {
            new_state,
            private,
            diagnostics,
            new_identity,
            ..Default::default()
        }))
    }

    async fn import_resource_state(
        &self,
        req: Request<pb::import_resource_state::Request>,
    ) -> Result<Response<pb::import_resource_state::Response>, Status> {
        let req = req.into_inner();
        crate::debug!("ImportResourceState", "type" = req.type_name);
        // Terraform >= 1.12 sends an identity instead of an ID for `import { identity = ... }`.
        let by_identity = req
            .identity
            .and_then(|i| i.identity_data)
            .filter(|_| req.id.is_empty());
        let (imported, d) = match by_identity {
            Some(identity) => {
                self.engine()
                    .import_resource_by_identity(
                        &req.type_name,
                        &fromproto::dynamic_value(Some(identity)),
                    )
                    .await
            }
            None => {
                self.engine()
                    .import_resource_state(&req.type_name, &req.id)
                    .await
            }
        };
        Ok(Response::new(pb::import_resource_state::Response {
            imported_resources: imported
                .into_iter()
                .map(|i| pb::import_resource_state::ImportedResource {
                    identity: self.identity(&i.type_name, Some(&i.state)),
                    type_name: i.type_name,
                    state: toproto::dynamic_value(i.state),
                    private: i.private,
                })
                .collect(),
            diagnostics: diagnostics(d),
            deferred: None,
        }))
    }

    async fn read_data_source(
        &self,
        req: Request<pb::read_data_source::Request>,
    ) -> Result<Response<pb::read_data_source::Response>, Status> {
        let req = req.into_inner();
        crate::debug!("ReadDataSource", "type" = req.type_name);
        let r = self
            .engine()
            .read_data_source(&req.type_name, &fromproto::dynamic_value(req.config))
            .await;
        let (state, _, diagnostics) = state_parts(r);
        Ok(Response::new(pb::read_data_source::Response {
            state,
            diagnostics,
            ..Default::default()
        }))
    }

    async fn get_resource_identity_schemas(
        &self,
        _: Request<pb::get_resource_identity_schemas::Request>,
    ) -> Result<Response<pb::get_resource_identity_schemas::Response>, Status> {
        let (schemas, d) = self.engine().identity_schemas();
        Ok(Response::new(pb::get_resource_identity_schemas::Response {
            identity_schemas: schemas.iter().map(toproto::identity_schema).collect(),
            diagnostics: diagnostics(d),
        }))
    }

    async fn upgrade_resource_identity(
        &self,
        req: Request<pb::upgrade_resource_identity::Request>,
    ) -> Result<Response<pb::upgrade_resource_identity::Response>, Status> {
        let req = req.into_inner();
        let raw = fromproto::raw_state_json(req.raw_identity);
        let r = self
            .engine()
            .upgrade_resource_identity(&req.type_name, req.version, &raw);
        Ok(Response::new(pb::upgrade_resource_identity::Response {
            upgraded_identity: r.identity.map(toproto::identity_data),
            diagnostics: diagnostics(r.diagnostics),
        }))
    }

    async fn validate_ephemeral_resource_config(
        &self,
        req: Request<pb::validate_ephemeral_resource_config::Request>,
    ) -> Result<Response<pb::validate_ephemeral_resource_config::Response>, Status> {
        let req = req.into_inner();
        let d = self.engine().validate_ephemeral_resource_config(
            &req.type_name,
            &fromproto::dynamic_value(req.config),
        );
        Ok(Response::new(
            pb::validate_ephemeral_resource_config::Response {
                diagnostics: diagnostics(d),
            },
        ))
    }

    async fn open_ephemeral_resource(
        &self,
        req: Request<pb::open_ephemeral_resource::Request>,
    ) -> Result<Response<pb::open_ephemeral_resource::Response>, Status> {
        let req = req.into_inner();
        crate::debug!("OpenEphemeralResource", "type" = req.type_name);
        let r = self
            .engine()
            .open_ephemeral_resource(&req.type_name, &fromproto::dynamic_value(req.config))
            .await;
        Ok(Response::new(pb::open_ephemeral_resource::Response {
            diagnostics: diagnostics(r.diagnostics),
            renew_at: None,
            result: r.result.and_then(toproto::dynamic_value),
            private: r.private,
            deferred: None,
        }))
    }

    async fn renew_ephemeral_resource(
        &self,
        req: Request<pb::renew_ephemeral_resource::Request>,
    ) -> Result<Response<pb::renew_ephemeral_resource::Response>, Status> {
        let req = req.into_inner();
        let d = self.engine().renew_ephemeral_resource(&req.type_name);
        Ok(Response::new(pb::renew_ephemeral_resource::Response {
            diagnostics: diagnostics(d),
            renew_at: None,
            private: req.private,
        }))
    }

    async fn close_ephemeral_resource(
        &self,
        req: Request<pb::close_ephemeral_resource::Request>,
    ) -> Result<Response<pb::close_ephemeral_resource::Response>, Status> {
        let req = req.into_inner();
        crate::debug!("CloseEphemeralResource", "type" = req.type_name);
        let r = self
            .engine()
            .close_ephemeral_resource(&req.type_name, req.private.as_deref())
            .await;
        Ok(Response::new(pb::close_ephemeral_resource::Response {
            diagnostics: diagnostics(r.diagnostics),
        }))
    }

    async fn validate_list_resource_config(
        &self,
        req: Request<pb::validate_list_resource_config::Request>,
    ) -> Result<Response<pb::validate_list_resource_config::Response>, Status> {
        let req = req.into_inner();
        let d = self
            .engine()
            .validate_list_resource_config(&req.type_name, &fromproto::dynamic_value(req.config));
        Ok(Response::new(pb::validate_list_resource_config::Response {
            diagnostics: diagnostics(d),
        }))
    }

    async fn list_resource(
        &self,
        req: Request<pb::list_resource::Request>,
    ) -> Result<Response<tonic::codegen::BoxStream<pb::list_resource::Event>>, Status> {
        let req = req.into_inner();
        crate::debug!("ListResource", "type" = req.type_name);
        let r = self
            .engine()
            .list(
                &req.type_name,
                &fromproto::dynamic_value(req.config),
                req.include_resource_object,
                req.limit,
            )
            .await;
        let mut events: Vec<Result<pb::list_resource::Event, Status>> = r
            .events
            .into_iter()
            .map(|e| Ok(toproto::list_event(e)))
            .collect();
        if !r.diagnostics.0.is_empty() {
            events.push(Ok(pb::list_resource::Event {
                diagnostic: diagnostics(r.diagnostics),
                ..Default::default()
            }));
        }
        Ok(Response::new(Box::pin(tokio_stream::iter(events))))
    }

    async fn get_functions(
        &self,
        _: Request<pb::get_functions::Request>,
    ) -> Result<Response<pb::get_functions::Response>, Status> {
        Ok(Response::new(pb::get_functions::Response::default()))
    }

    async fn stop_provider(
        &self,
        _: Request<pb::stop_provider::Request>,
    ) -> Result<Response<pb::stop_provider::Response>, Status> {
        crate::info!("StopProvider: cancelling in-flight work");
        self.engine().stop();
        Ok(Response::new(pb::stop_provider::Response::default()))
    }
}
