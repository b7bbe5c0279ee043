// Configure-time probe: oneDNN's 2.x C++ API links and creates a CPU engine.
#include <oneapi/dnnl/dnnl.hpp>

int main() {
  try {
    dnnl::engine engine(dnnl::engine::kind::cpu, 0);
    dnnl::memory::desc md({16}, dnnl::memory::data_type::f32,
                          dnnl::memory::format_tag::a);
    dnnl::eltwise_forward::desc desc(dnnl::prop_kind::forward_inference,
                                     dnnl::algorithm::eltwise_relu, md, 0.f);
    dnnl::eltwise_forward::primitive_desc pd(desc, engine);
    return pd ? 0 : 1;
  } catch (const dnnl::error&) {
    return 2;
  }
}
